/* Times one command for bench/eeh (EehBench): timeit OUT CMD [ARG...] runs CMD
 * with its output in OUT and prints "TIMES real user sys status", the times in
 * ms with microsecond resolution: real from CLOCK_MONOTONIC around fork/exec/wait,
 * user and sys from the child's rusage (bash's `time` rounds to the millisecond,
 * too coarse for a verification that takes a few). */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double ms(struct timespec t) { return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
static double tv(struct timeval t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; }

int main(int argc, char **argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: timeit OUT CMD [ARG...]\n");
		return 2;
	}
	int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	struct timespec a, b;
	struct rusage ru;
	int status = 0;
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid_t p = fork();
	if (p == 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (p < 0 || wait4(p, &status, 0, &ru) < 0) {
		perror("timeit");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("TIMES %.3f %.3f %.3f %d\n", ms(b) - ms(a), tv(ru.ru_utime), tv(ru.ru_stime),
			WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
