import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, hintLines, type StepListing } from '../../runtime/build/hints.ts';

const file = (path: string, size: number) => ({ path, size, kind: 'file' as const });

test('size hints: largest layers, chained RUNs, caches, and files deleted (whiteout or opaque dir) by a later layer', () => {
  const steps: StepListing[] = [
    { createdBy: '/bin/sh -c #(nop) ADD file:abc in / ', layer: { size: 5000, entries: [file('bin/sh', 5000)] } },
    { createdBy: '/bin/sh -c #(nop)  CMD ["sh"]' },
    { createdBy: '/bin/sh -c apt-get update', layer: { size: 9000, entries: [file('var/lib/apt/lists/deb_Packages', 8000), file('var/lib/apt/lists/lock', 0), file('tmp/big', 1000)] } },
    { createdBy: '/bin/sh -c rm -rf /tmp/big', layer: { size: 10, entries: [{ path: 'tmp/big', size: 0, kind: 'whiteout' }] } },
    { createdBy: '/bin/sh -c #(nop) COPY dir:x in /srv ', layer: { size: 300, entries: [file('srv/a', 100), file('srv/b', 200)] } },
    { createdBy: '/bin/sh -c rm -rf /srv && mkdir /srv', layer: { size: 1, entries: [{ path: 'srv', size: 0, kind: 'opaque' }] } },
  ];
  const h = analyze(steps);
  assert.equal(h.layers, 5);
  assert.equal(h.size, 14311);
  assert.deepEqual(h.largest.map((l) => l.layer), [1, 0, 3]);
  assert.deepEqual(h.chainableRuns, [{ steps: [2, 3], commands: ['/bin/sh -c apt-get update', '/bin/sh -c rm -rf /tmp/big'] }]);
  assert.deepEqual(h.caches, [{ layer: 1, createdBy: '/bin/sh -c apt-get update', manager: 'apt lists', path: '/var/lib/apt/lists', size: 8000 }]);
  assert.deepEqual(h.wasted.map((w) => [w.path, w.size, w.deletedBy]), [
    ['/tmp/big', 1000, '/bin/sh -c rm -rf /tmp/big'],
    ['/srv/b', 200, '/bin/sh -c rm -rf /srv && mkdir /srv'],
    ['/srv/a', 100, '/bin/sh -c rm -rf /srv && mkdir /srv'],
  ]);
  assert.equal(h.wastedBytes, 1300);
  const lines = hintLines(h);
  assert.equal(lines[0], 'Size hints: 5 layers, 14.3kB');
  assert.ok(lines.includes('  apt lists cache left in a layer: /var/lib/apt/lists (8.00kB)  /bin/sh -c apt-get update'));
});
