import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * runtime/ is layered like containerd (DESIGN.md): a file may import from its own layer and
 * the layers below it, never from a higher one. Entries ending in `.ts` are files at the
 * top of runtime/, the others are folders.
 */
const runtimeLayers = [
  ['errors.ts', 'events', 'util', 'config.ts'],
  ['metadata', 'content', 'mount', 'oci'],
  ['snapshots', 'registry', 'images', 'network', 'volumes'],
  ['diff', 'tasks'],
  // imageops/ is the image service (load, save, import, remove, prune): it unpacks layers with
  // diff/ (layer 3), so it sits above it, beside containers/ and build/, while images/ keeps
  // the records, references and archive formats that registry/ and diff/ build on.
  ['containers', 'health', 'build', 'imageops'],
  ['engine', 'engine.ts', 'index.ts'],
];

/** no-restricted-imports sees import strings, not resolved paths, so rules are generated per folder depth. */
const MAX_RUNTIME_DEPTH = 6;

const TS_FILES = ['**/*.ts', '**/*.tsx'];
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternatives = (names) => names.map(escape).join('|');

/** Matches a relative import written in a file `depth` folders below runtime/ that lands on one of `entries`. */
function relativeImportOf(entries, depth) {
  const up = depth === 0 ? '\\./' : `(?:\\./)?(?:\\.\\./){${depth}}`;
  const folders = entries.filter((e) => !e.endsWith('.ts'));
  const files = entries.filter((e) => e.endsWith('.ts')).map((e) => e.slice(0, -3));
  const parts = [];
  if (folders.length) parts.push(`^${up}(?:${alternatives(folders)})(?:/|$)`);
  if (files.length) parts.push(`^${up}(?:${alternatives(files)})(?:\\.ts)?$`);
  return parts.join('|');
}

/** Restrictions every runtime/ file has: it is a library with no HTTP, UI or socket.io. */
function runtimeOutsidePatterns(depth) {
  return [
    {
      regex: '^(?:next|react|react-dom|socket\\.io|socket\\.io-client|@next/[^/]+)(?:/|$)',
      message: 'runtime/ is a library: no Next, React or socket.io (DESIGN.md, process model).',
    },
    {
      regex: `^(?:\\./)?(?:\\.\\./){${depth + 1}}(?:server|app|components)(?:/|$)|^@/`,
      message: 'runtime/ must not import server/, app/ or components/; inside runtime/ use relative imports.',
    },
  ];
}

/** The files of one runtime/ entry at one depth below runtime/. */
function runtimeFilesAt(entry, depth) {
  if (entry.endsWith('.ts')) return depth === 0 ? [`runtime/${entry}`] : [];
  if (depth === 0) return [];
  return [`runtime/${entry}/${'*/'.repeat(depth - 1)}*.{ts,tsx}`];
}

function runtimeLayerConfigs() {
  const configs = [];
  runtimeLayers.forEach((layer, level) => {
    const higher = runtimeLayers.slice(level + 1).flat();
    for (const entry of layer) {
      for (let depth = 0; depth <= MAX_RUNTIME_DEPTH; depth += 1) {
        const files = runtimeFilesAt(entry, depth);
        if (files.length === 0) continue;
        const patterns = runtimeOutsidePatterns(depth);
        if (higher.length) {
          patterns.push({
            regex: relativeImportOf(higher, depth),
            message: `runtime/${entry} is layer ${level}: it may not import from higher layers (${higher.join(', ')}).`,
          });
        }
        configs.push({ name: `wharf/layers/runtime/${entry}@${depth}`, files, rules: { 'no-restricted-imports': ['error', { patterns }] } });
      }
    }
  });
  return configs;
}

// server/ and the UI may be nested arbitrarily deep, so these match `./` and `../` runs of any length.
const anyRelative = '(?:(?:\\.\\.?/)+|@/)';

// The Engine facade's types expose no store, database handle, task service or runc, so TypeScript
// already refuses such a reach; this rule names the mistake when a cast or `any` would hide it.
const ENGINE_SERVICES = 'images|containers|containerOps|builds|volumes|networks|system|events';
const ENGINE_INTERNALS = 'store|db|meta|ctx|tasks|runc|snapshots|content|unpacker|tagTimes|monitor|execs';

const serverConfig = {
  name: 'wharf/layers/server',
  files: ['server/**/*.{ts,tsx}'],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [{
        regex: `^${anyRelative}runtime/(?!index(?:\\.ts)?$)`,
        message: 'server/ reaches the engine only through runtime/index.ts.',
      }],
    }],
    'no-restricted-syntax': ['error',
      {
        selector: `MemberExpression[object.type='MemberExpression'][object.property.name=/^(${ENGINE_SERVICES})$/][property.name=/^(${ENGINE_INTERNALS})$/]`,
        message: 'server/ calls the engine\'s service methods; it never touches a store, database handle, task or runc.',
      },
      {
        selector: `MemberExpression[object.name=/^engine$/][property.name=/^(${ENGINE_INTERNALS})$/]`,
        message: 'server/ calls the engine\'s service methods; it never touches a store, database handle, task or runc.',
      },
    ],
  },
};

const uiConfig = {
  name: 'wharf/layers/ui',
  files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}'],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [
        { regex: `^${anyRelative}runtime(?:/|$)`, message: 'app/ and components/ never import runtime/; use the API.' },
        {
          regex: `^${anyRelative}server(?:/(?!protocol(?:/|$))|$)`,
          message: 'app/ and components/ may import only server/protocol from server/.',
        },
      ],
    }],
  },
};

/**
 * The engine and the server own their outbound HTTP clients. The global fetch belongs to
 * whoever patched it last: Next.js replaces it in this very process, and registry pulls through
 * the replaced one hung forever.
 */
const ownHttpClientConfig = {
  name: 'wharf/own-http-client',
  files: ['runtime/**/*.ts', 'server/**/*.ts'],
  rules: {
    'no-restricted-globals': ['error',
      { name: 'fetch', message: 'Use the engine-owned HttpClient (runtime/registry/http.ts), never the global fetch a framework may patch.' },
      { name: 'Request', message: 'Use the engine-owned HttpClient (runtime/registry/http.ts).' },
      { name: 'Response', message: 'Use the engine-owned HttpClient (runtime/registry/http.ts); its Response type comes from undici.' },
    ],
  },
};

/**
 * The event loop serves every user (DESIGN.md): no synchronous filesystem, process or
 * compression call in runtime/ or server/. The few that run before the first request, or off
 * the loop, are allowed by name in their file only, each with the reason.
 */
const SYNC_EXCEPTIONS = [
  { file: 'runtime/metadata/db.ts', names: ['mkdirSync'], reason: 'start-up: the metadata database is opened once before any listener exists (better-sqlite3 opens synchronously anyway)' },
  { file: 'server/auth/db.ts', names: ['mkdirSync'], reason: 'start-up: the dashboard database is opened once before the server listens' },
  { file: 'server/config.ts', names: ['readFileSync'], reason: 'start-up: WHARF_ADMIN_PASSWORD_FILE is read while the configuration is validated, before anything listens' },
  { file: 'runtime/util/workers/tree-size-worker.ts', names: ['lstatSync', 'readdirSync'], reason: 'runs in a worker thread, never on the event loop; synchronous calls are the fastest walk there' },
  { file: 'runtime/util/workers/text-reader-worker.ts', names: ['readFileSync'], reason: 'runs in a worker thread, never on the event loop; a kernel counter file reads in microseconds there' },
];

/** no-restricted-syntax selectors for `*Sync` imports and member calls, except `allowed`. */
function syncSelectors(allowed = []) {
  const name = allowed.length ? `/^(?!(?:${allowed.join('|')})$)\\w*Sync$/` : '/Sync$/';
  const message = 'No synchronous I/O or CPU-bound *Sync call in runtime/ or server/: the event loop serves every request. Use the promise API, a stream or a worker (eslint.config.js lists the start-up exceptions).';
  return [
    { selector: `ImportDeclaration[source.value=/^(node:)?(fs|child_process|zlib|crypto)$/] ImportSpecifier[imported.name=${name}]`, message },
    { selector: `MemberExpression[property.name=${name}]`, message },
  ];
}

const syncConfigs = [
  { name: 'wharf/no-sync/runtime-server', files: ['runtime/**/*.{ts,tsx}', 'server/**/*.{ts,tsx}'], rules: { 'no-restricted-syntax': ['error', ...syncSelectors()] } },
  ...SYNC_EXCEPTIONS.map(({ file, names }) => ({ name: `wharf/no-sync/exception:${file}`, files: [file], rules: { 'no-restricted-syntax': ['error', ...syncSelectors(names)] } })),
];

export default defineConfig(
  globalIgnores(['.next/', 'dist/', 'node_modules/', 'next-env.d.ts', 'test-output/', 'public/', 'native/*/build/'], 'wharf/ignores'),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // A native addon's loader: CommonJS, as node-gyp's output is loaded.
    name: 'wharf/native-addons',
    files: ['native/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    name: 'wharf/typescript',
    files: TS_FILES,
    rules: {
      // A leading underscore marks a parameter or binding kept on purpose (callbacks, destructuring).
      '@typescript-eslint/no-unused-vars': ['error', {
        argsIgnorePattern: '^_',
        varsIgnorePattern: '^_',
        caughtErrorsIgnorePattern: '^_',
      }],
    },
  },
  serverConfig,
  uiConfig,
  ownHttpClientConfig,
  runtimeLayerConfigs(),
  syncConfigs,
);
