package org.lockspec.analysis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Tarjan's strongly connected components, iterative (a 10,000-node chain must
 * not overflow the stack), linear in nodes plus edges. Components come out in
 * reverse topological order: a component's successors come before it.
 */
public final class Scc {

	private Scc() {
	}

	/** {@code succ[v]} lists v's successors; returns the component index of every node. */
	public static int[] components(int[][] succ, int[] countOut) {
		int n = succ.length;
		int[] index = new int[n];
		int[] low = new int[n];
		int[] comp = new int[n];
		boolean[] onStack = new boolean[n];
		Arrays.fill(index, -1);
		Arrays.fill(comp, -1);
		Deque<Integer> stack = new ArrayDeque<>();
		int[] edgePos = new int[n];
		int[] callStack = new int[n];
		int next = 0;
		int comps = 0;
		for (int root = 0; root < n; root++) {
			if (index[root] >= 0) {
				continue;
			}
			int sp = 0;
			callStack[sp++] = root;
			index[root] = low[root] = next++;
			stack.push(root);
			onStack[root] = true;
			while (sp > 0) {
				int v = callStack[sp - 1];
				if (edgePos[v] < succ[v].length) {
					int w = succ[v][edgePos[v]++];
					if (index[w] < 0) {
						index[w] = low[w] = next++;
						stack.push(w);
						onStack[w] = true;
						callStack[sp++] = w;
					} else if (onStack[w]) {
						low[v] = Math.min(low[v], index[w]);
					}
				} else {
					sp--;
					if (sp > 0) {
						int parent = callStack[sp - 1];
						low[parent] = Math.min(low[parent], low[v]);
					}
					if (low[v] == index[v]) {
						int w;
						do {
							w = stack.pop();
							onStack[w] = false;
							comp[w] = comps;
						} while (w != v);
						comps++;
					}
				}
			}
		}
		if (countOut != null && countOut.length > 0) {
			countOut[0] = comps;
		}
		return comp;
	}

	/** Adjacency arrays from an edge list. */
	public static int[][] adjacency(int n, List<int[]> edges) {
		int[] deg = new int[n];
		for (int[] e : edges) {
			deg[e[0]]++;
		}
		int[][] succ = new int[n][];
		for (int i = 0; i < n; i++) {
			succ[i] = new int[deg[i]];
		}
		int[] fill = new int[n];
		for (int[] e : edges) {
			succ[e[0]][fill[e[0]]++] = e[1];
		}
		return succ;
	}

	/** Nodes in the order of a topological sort of the components (sources first). */
	public static List<Integer> topologicalRank(int[] comp, int comps) {
		List<Integer> rank = new ArrayList<>();
		for (int c : comp) {
			rank.add(comps - 1 - c);
		}
		return rank;
	}
}
