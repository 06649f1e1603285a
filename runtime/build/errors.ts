/** A RUN step's command exited non-zero: the build stops, and the API reports the exit code. */
export class RunFailedError extends Error {
  constructor(readonly command: string[], readonly exitCode: number) {
    super(`The command '${command.join(' ')}' returned a non-zero code: ${exitCode}`);
    this.name = 'RunFailedError';
  }
}
