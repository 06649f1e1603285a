import { rm } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../errors.ts';
import type { ContainerConfig } from '../images/oci-types.ts';
import type { ImageStore } from '../images/store.ts';
import { parseReference } from '../images/reference.ts';
import type { DB } from '../metadata/db.ts';
import { BuildCache } from './cache.ts';
import { openContext } from './context.ts';
import { parseDockerfile, splitWords, takeFlags, type Instruction } from './dockerfile.ts';
import { applyMetadata, commandOf } from './metadata.ts';
import { substitute } from './substitute.ts';
import type { HttpClient } from '../registry/http.ts';
import { planAdd } from './add.ts';
import { copyLayerParts, type CopyLayer } from './copy.ts';
import { onBuildTriggers } from './onbuild.ts';
import { CacheFrom } from './cache-from.ts';
import { hintLines, type SizeHints } from './hints.ts';
import type { HintsStore } from './hints-store.ts';
import { baseImage } from './base-image.ts';
import type { Credentials } from '../registry/auth.ts';
import type { RegistryConfig } from '../registry/registry-config.ts';
import { unusedBuildArgs } from './build-args.ts';
import { BuildImages } from './images.ts';
import { copyLayer, imageTree, removeContainer, runStep, type Emit, type StepDeps } from './steps.ts';

export interface BuildOptions {
  tags?: string[];
  dockerfile?: string;
  buildArgs?: Record<string, string | null>;
  labels?: Record<string, string>;
  quiet?: boolean;
  noCache?: boolean;
  target?: string;
  /** Always pull a newer base image (`--pull`). */
  pull?: boolean;
  /** Images whose history may serve as cache (`--cache-from`). */
  cacheFrom?: string[];
  /** Credentials for pulling base images, by registry domain (X-Registry-Config). */
  registryAuth?: RegistryConfig;
}

export interface BuildDeps extends StepDeps {
  images: BuildImages;
  store: ImageStore;
  db: DB;
  tag: (id: string, ref: string) => void;
  /** A container's changes as a layer tar. */
  diff: (containerId: string) => Readable;
  /** The engine's own HTTP client, for ADD <url>. */
  http: HttpClient;
  /** Pull a base image (FROM absent locally, or --pull); returns its id. */
  pull: (ref: string, emit: Emit, creds?: Credentials) => Promise<string>;
  hints: HintsStore;
}

interface Stage { name?: string; from: Instruction; body: Instruction[] }
interface State { image: string | null; config: ContainerConfig; vars: Map<string, string>; args: Set<string>; cacheFrom?: CacheFrom }

const METADATA = new Set(['ENV', 'LABEL', 'MAINTAINER', 'CMD', 'ENTRYPOINT', 'USER', 'EXPOSE', 'VOLUME', 'STOPSIGNAL', 'SHELL', 'ONBUILD', 'HEALTHCHECK']);
const short = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);

/** The classic builder (`docker build` with DOCKER_BUILDKIT=0): one image per step, cached by parent and instruction. */
export class BuildService {
  private readonly cache: BuildCache;
  constructor(private readonly deps: BuildDeps) { this.cache = new BuildCache(deps.db); }

  /** An image's size hints: stored by its build, or computed once now. */
  hints(nameOrId: string): Promise<SizeHints> {
    return this.deps.hints.of(nameOrId);
  }

  /** What the request can get wrong before the context is read. */
  validate(opts: BuildOptions): void {
    for (const t of opts.tags ?? []) {
      try { parseReference(t); } catch { throw new InvalidArgumentError(`invalid reference format: ${t}`); }
      if (parseReference(t).digest) throw new InvalidArgumentError(`invalid tag ${t}: a digest is not allowed`);
    }
  }

  /** Parse the context's Dockerfile; errors here are the request's (dockerd answers them with a 4xx). */
  async prepare(context: Readable, opts: BuildOptions): Promise<{ dir: string; stages: Stage[]; globals: Instruction[] }> {
    this.validate(opts);
    const name = opts.dockerfile || 'Dockerfile';
    const { dir, text } = await openContext(context, name);
    try {
      const all = parseDockerfile(text);
      const globals: Instruction[] = [];
      const stages: Stage[] = [];
      for (const i of all) {
        if (i.keyword === 'FROM') {
          const words = splitWords(takeFlags(i.args).rest);
          const as = words.length === 3 && words[1]!.toUpperCase() === 'AS' ? words[2]!.toLowerCase() : undefined;
          if (words.length !== 1 && !as) throw new InvalidArgumentError(`dockerfile parse error line ${i.line}: FROM requires either one or three arguments`);
          stages.push({ name: as, from: i, body: [] });
        } else if (!stages.length) {
          if (i.keyword !== 'ARG') throw new InvalidArgumentError(`dockerfile parse error line ${i.line}: no build stage in current context`);
          globals.push(i);
        } else stages[stages.length - 1]!.body.push(i);
      }
      if (!stages.length) throw new InvalidArgumentError('no build stage in current context');
      if (opts.target) {
        const at = stages.findIndex((s) => s.name === opts.target!.toLowerCase());
        if (at < 0) throw new InvalidArgumentError(`failed to reach build target ${opts.target} in Dockerfile`);
        stages.splice(at + 1);
      }
      if (opts.labels && Object.keys(opts.labels).length) {
        const args = Object.entries(opts.labels).map(([k, v]) => `${JSON.stringify(k)}=${JSON.stringify(v)}`).join(' ');
        stages[stages.length - 1]!.body.push({ keyword: 'LABEL', args, line: 0, text: `LABEL ${args}` });
      }
      return { dir, stages, globals };
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Run a prepared build; progress goes to `emit`. Returns the final image id, tagged as asked. */
  async run(p: { dir: string; stages: Stage[]; globals: Instruction[] }, opts: BuildOptions, emit: Emit): Promise<string> {
    try {
      const q = !!opts.quiet;
      const say = (s: string): void => { if (!q) emit({ stream: s }); };
      const buildArgs = opts.buildArgs ?? {};
      const globalVars = new Map<string, string>();
      for (const g of p.globals) for (const [k, v] of this.argPairs(g, globalVars)) { const b = buildArgs[k]; if (b != null) globalVars.set(k, b); else if (v !== undefined) globalVars.set(k, v); }
      const total = p.stages.reduce((n, s) => n + 1 + s.body.length, 0) + p.globals.length;
      let n = 0;
      for (const g of p.globals) say(`Step ${++n}/${total} : ${g.text}\n`);
      const done = new Map<string, string>();
      const consumed = new Set<string>();
      const cacheFrom = opts.cacheFrom?.length
        ? await CacheFrom.load(this.deps.store, opts.cacheFrom, (parent, config, history, layer) => this.deps.images.commit(parent, config, history.created_by ?? '', null, { history, layer }))
        : undefined;
      let last = '';
      for (const [index, stage] of p.stages.entries()) {
        say(`Step ${++n}/${total} : ${stage.from.text}\n`);
        const base = splitWords(substitute(takeFlags(stage.from.args).rest, globalVars))[0]!;
        let image: string | null;
        if (base.toLowerCase() === 'scratch') image = null;
        else {
          image = done.get(base.toLowerCase()) ?? null;
          if (!image) image = await baseImage(this.deps, base, !!opts.pull, emit, opts.registryAuth);
          say(` ---> ${short(image)}\n`);
        }
        const st: State = { image, config: await this.deps.images.config(image), vars: new Map(), args: new Set(), cacheFrom };
        const triggers = onBuildTriggers(st.config);
        if (triggers.length) {
          say(`# Executing ${triggers.length} build trigger${triggers.length > 1 ? 's' : ''}\n`);
          st.config = { ...st.config, OnBuild: undefined };
          for (const t of triggers) {
            await this.step(st, t, p.dir, done, buildArgs, globalVars, opts, say);
            if (st.image) say(` ---> ${short(st.image)}\n`);
          }
        }
        for (const i of stage.body) {
          say(`Step ${++n}/${total} : ${i.text}\n`);
          await this.step(st, i, p.dir, done, buildArgs, globalVars, opts, say);
          if (st.image) say(` ---> ${short(st.image)}\n`);
        }
        for (const a of st.args) consumed.add(a);
        if (!st.image) throw new InvalidArgumentError('No image was generated. Is your Dockerfile empty?');
        done.set(String(index), st.image);
        if (stage.name) done.set(stage.name, st.image);
        last = st.image;
      }
      const unused = unusedBuildArgs(buildArgs, consumed);
      if (unused) say(unused);
      emit({ aux: { ID: last } });
      if (q) emit({ stream: `${last}\n` });
      say(`Successfully built ${short(last)}\n`);
      for (const t of opts.tags ?? []) {
        this.deps.tag(last, t);
        say(`Successfully tagged ${t}\n`);
      }
      // Hints are advice: a layer that cannot be read leaves the build successful, without them.
      const hints = await this.deps.hints.of(last).catch(() => undefined);
      if (hints) for (const line of hintLines(hints)) say(`${line}\n`);
      return last;
    } finally {
      await rm(p.dir, { recursive: true, force: true });
    }
  }

  private argPairs(i: Instruction, vars: Map<string, string>): [string, string | undefined][] {
    return splitWords(substitute(i.args, vars)).map((w) => {
      const eq = w.indexOf('=');
      return eq < 0 ? [w, undefined] : [w.slice(0, eq), w.slice(eq + 1)];
    });
  }

  private async step(st: State, i: Instruction, dir: string, done: Map<string, string>, buildArgs: Record<string, string | null>, globals: Map<string, string>, opts: BuildOptions, say: (s: string) => void): Promise<void> {
    const env = new Map((st.config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=') < 0 ? e.length : e.indexOf('=')), e.slice(e.indexOf('=') + 1)] as [string, string]));
    const vars = new Map([...st.vars, ...env]);
    const args = i.keyword === 'RUN' || i.keyword === 'ONBUILD' ? i.args : substitute(i.args, vars);
    const text = `${i.keyword} ${args}`;
    const cached = async (key: string, build: () => Promise<string>, discard?: () => Promise<void>, made?: { createdBy: string; config: ContainerConfig }): Promise<void> => {
      let hit = opts.noCache ? undefined : this.cache.get(key);
      if (hit && !this.deps.store.get(hit)) hit = undefined;
      if (!hit && !opts.noCache && made && st.cacheFrom) hit = await st.cacheFrom.match(st.image, made.createdBy, made.config);
      if (hit) {
        say(' ---> Using cache\n');
        await discard?.();
        st.image = hit;
      } else {
        st.image = await build();
        this.cache.put(key, st.image);
      }
      st.config = await this.deps.images.config(st.image);
    };
    const parent = st.image ?? 'scratch';
    if (i.keyword === 'ARG') {
      for (const [k, v] of this.argPairs(i, vars)) {
        st.args.add(k);
        const val = buildArgs[k] ?? v ?? globals.get(k);
        if (val !== undefined && val !== null) st.vars.set(k, val);
      }
      // Like the classic builder, an ARG is a step of its own: an empty-layer image, cached.
      await cached(BuildCache.key(parent, text), () => this.deps.images.commit(st.image, st.config, `/bin/sh -c #(nop) ${text}`, null), undefined, { createdBy: `/bin/sh -c #(nop) ${text}`, config: st.config });
    } else if (METADATA.has(i.keyword)) {
      const config = applyMetadata(i.keyword, args, st.config);
      await cached(BuildCache.key(parent, text), () => this.deps.images.commit(st.image, config, `/bin/sh -c #(nop) ${text}`, null), undefined, { createdBy: `/bin/sh -c #(nop) ${text}`, config });
    } else if (i.keyword === 'RUN') {
      if (!st.image) throw new InvalidArgumentError('RUN needs a base image with a shell: FROM scratch has none');
      const cmd = commandOf(args, st.config.Shell);
      const argEnv = [...st.args].filter((k) => st.vars.has(k) && !env.has(k)).map((k) => `${k}=${st.vars.get(k)!}`);
      const createdBy = `${argEnv.length ? `|${argEnv.length} ${argEnv.join(' ')} ` : ''}${cmd.join(' ')}`;
      const image = st.image;
      await cached(BuildCache.key(parent, `RUN ${createdBy}`), async () => {
        const id = await runStep(this.deps, image, st.config, cmd, [...(st.config.Env ?? []), ...argEnv], (m) => say(String(m.stream)), !!opts.quiet);
        try {
          const layer = await this.deps.images.ingestLayer(this.diff(id));
          return await this.deps.images.commit(image, st.config, createdBy, layer);
        } finally {
          await removeContainer(this.deps, id);
          say(`Removing intermediate container ${id.slice(0, 12)}\n`);
        }
      }, undefined, { createdBy, config: st.config });
    } else if (i.keyword === 'WORKDIR') {
      const wd = posix.resolve(st.config.WorkingDir || '/', splitWords(args)[0] ?? '');
      const config = { ...st.config, WorkingDir: wd };
      await this.layerStep(st, text, () => copyLayer(dir, { sources: [], dest: `${wd}/`, uid: 0, gid: 0, mtime: new Date() }), config, () => `/bin/sh -c #(nop) WORKDIR ${wd}`, cached, true);
    } else if (i.keyword === 'COPY' || i.keyword === 'ADD') {
      const { flags, rest } = takeFlags(args);
      const words = splitWordsOrJSON(rest);
      if (words.length < 2) throw new InvalidArgumentError(`${i.keyword} requires at least two arguments, but only ${words.length} provided`);
      const sources = words.slice(0, -1);
      const [uid, gid] = chown(flags.chown);
      const last = words[words.length - 1]!;
      const dest = last.startsWith('/') ? last : posix.join(st.config.WorkingDir || '/', last) + (last.endsWith('/') ? '/' : '');
      let root = dir;
      let tmp: string | undefined;
      if (i.keyword === 'ADD' && !flags.from) {
        const add = await planAdd(this.deps.http, dir, { sources, dest, uid, gid }, flags.checksum);
        try {
          return await this.layerStep(st, text, () => copyLayerParts(add.parts), st.config, (h) => `/bin/sh -c #(nop) ADD content:${h} in ${dest} `, cached);
        } finally {
          await add.cleanup();
        }
      }
      if (flags.from) {
        const from = done.get(flags.from.toLowerCase()) ?? this.deps.store.find(flags.from)?.id;
        if (!from) throw new NotFoundError(`invalid from flag value ${flags.from}: no stage or local image of that name`);
        tmp = await imageTree(this.deps, from, sources);
        root = tmp;
      }
      try {
        await this.layerStep(st, text, () => copyLayer(root, { sources, dest, uid, gid }), st.config, (h) => `/bin/sh -c #(nop) COPY content:${h} in ${dest} `, cached);
      } finally {
        if (tmp) await rm(tmp, { recursive: true, force: true });
      }
    } else throw new InvalidArgumentError(`unknown instruction: ${i.keyword}`);
  }

  /** COPY/ADD/WORKDIR: a layer written directly, keyed by its digest unless `key` is given (WORKDIR: the instruction alone). */
  /**
   * COPY/ADD/WORKDIR: a layer written directly, keyed by its content (WORKDIR: `byText`, the
   * instruction alone). COPY/ADD record that content's hash in the history, as dockerd does, so
   * a `--cache-from` image only matches the same files.
   */
  private async layerStep(st: State, text: string, tarOf: () => Promise<CopyLayer>, config: ContainerConfig, createdByOf: (contentHash: string) => string,
    cached: (key: string, build: () => Promise<string>, discard?: () => Promise<void>, made?: { createdBy: string; config: ContainerConfig }) => Promise<void>, byText = false): Promise<void> {
    const parent = st.image;
    if (byText) {
      const createdBy = createdByOf('');
      return cached(BuildCache.key(parent ?? 'scratch', text), async () => this.deps.images.commit(parent, config, createdBy, await this.deps.images.ingestLayer((await tarOf()).tar)), undefined, { createdBy, config });
    }
    // The content hash alone decides a cache hit: the tar is only stored (and fsynced) on a miss.
    const probe = await tarOf();
    probe.tar.resume();
    const hash = await probe.contentHash;
    const createdBy = createdByOf(hash);
    await cached(BuildCache.key(parent ?? 'scratch', text, hash), async () => {
      const made = await tarOf();
      const layer = await this.deps.images.ingestLayer(made.tar);
      if (await made.contentHash !== hash) throw new FailedPreconditionError(`${text}: the files changed while the build read them`);
      return this.deps.images.commit(parent, config, createdBy, layer);
    }, undefined, { createdBy, config });
  }

  private diff(containerId: string): Readable {
    return this.deps.diff(containerId);
  }
}

function splitWordsOrJSON(s: string): string[] {
  if (s.trim().startsWith('[')) {
    try { const v: unknown = JSON.parse(s); if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[]; } catch { /* shell form */ }
  }
  return splitWords(s);
}

/** `--chown=uid[:gid]`, numeric only: names would need the image's /etc/passwd. */
function chown(v: string | undefined): [number, number] {
  if (!v) return [0, 0];
  const m = /^(\d+)(?::(\d+))?$/.exec(v);
  if (!m) throw new InvalidArgumentError(`--chown=${v}: only numeric uid[:gid] is supported`);
  return [Number(m[1]), Number(m[2] ?? m[1])];
}
