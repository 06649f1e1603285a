import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** FROM plus ten steps of every kind the classic builder caches: metadata, COPY, WORKDIR and RUN. */
export const TEN_STEPS = `FROM busybox
ARG VERSION=1
ENV APP=/app
WORKDIR /app
COPY a.txt ./
COPY conf/ ./conf/
RUN echo built > built.txt
RUN mkdir -p /data && echo x > /data/x
LABEL bench=yes
EXPOSE 8080
CMD ["sh"]
`;

/** A small build context for the cached-rebuild benchmark, written under `dir`. */
export async function writeBuildContext(dir: string): Promise<string> {
  const ctx = join(dir, 'build-context');
  await mkdir(join(ctx, 'conf'), { recursive: true });
  await writeFile(join(ctx, 'Dockerfile'), TEN_STEPS);
  await writeFile(join(ctx, 'a.txt'), 'a\n');
  for (let i = 0; i < 20; i++) await writeFile(join(ctx, 'conf', `c${i}.conf`), `c=${i}\n`);
  await writeFile(join(ctx, '.dockerignore'), '*.tmp\n');
  return ctx;
}
