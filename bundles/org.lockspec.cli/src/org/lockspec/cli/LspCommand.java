package org.lockspec.cli;

import java.util.concurrent.Callable;

import org.lockspec.ls.ServerMain;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lockspec lsp}: the language server on stdin/stdout (the same server as {@code java -jar lockspec-ls.jar}). */
@Command(name = "lsp", mixinStandardHelpOptions = true,
		description = "Run the Lockspec language server: LSP (JSON-RPC) on stdin/stdout, logs on stderr. Editors "
				+ "start it; see the README for Neovim and VS Code settings.",
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:the client sent shutdown and exit", "1:the client went away without shutdown" })
final class LspCommand implements Callable<Integer> {

	@Option(names = "--trace", description = "also copy every LSP message to stderr")
	boolean trace;

	@Override
	public Integer call() {
		return trace ? ServerMain.run(System.in, System.out, "--trace") : ServerMain.run(System.in, System.out);
	}
}
