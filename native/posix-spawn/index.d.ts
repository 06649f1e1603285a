/** posix_spawn(3) of `file` (a path) with `argv` and `envp`; child fd i is `fds[i]` (-1: /dev/null). Throws an Error with `code` (ENOENT…). */
export function spawn(file: string, argv: string[], envp: string[], cwd: string | null, fds: number[], setsid: boolean): number;
/** A pipe, both ends close-on-exec: [read, write]. */
export function pipe(): [number, number];
/** waitpid(pid, WNOHANG): null while it runs, else how it ended. */
export function reap(pid: number): null | { code: number | null; signal: number | null };
