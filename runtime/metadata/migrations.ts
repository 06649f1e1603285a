/** Schema migrations, applied in order; never edit a shipped entry, append a new one. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE images (
    id TEXT PRIMARY KEY,              -- config digest
    manifest_digest TEXT,             -- the manifest this image came from, if any
    layers TEXT NOT NULL,             -- JSON: [{digest, mediaType, size, diffID, uncompressedSize}]
    size INTEGER NOT NULL,            -- sum of uncompressed layer sizes
    created INTEGER NOT NULL,         -- unix seconds (from config.created)
    added INTEGER NOT NULL
  );
  CREATE TABLE image_tags (
    ref TEXT PRIMARY KEY,             -- docker.io/library/busybox:latest
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE
  );
  CREATE INDEX image_tags_image ON image_tags(image_id);
  CREATE TABLE image_digests (
    ref TEXT PRIMARY KEY,             -- docker.io/library/busybox@sha256:...
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE
  );
  CREATE INDEX image_digests_image ON image_digests(image_id);
  CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- short numeric dir name keeps overlay options short
    key TEXT NOT NULL UNIQUE,              -- chainID for committed layers, container id for active ones
    parent TEXT REFERENCES snapshots(key),
    kind TEXT NOT NULL CHECK (kind IN ('committed','active')),
    size INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL
  );
  CREATE TABLE containers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    image_id TEXT NOT NULL,
    record TEXT NOT NULL,             -- JSON: config, host config, image ref, created
    state TEXT NOT NULL,              -- JSON: status, pid, exit code, timestamps
    created INTEGER NOT NULL
  );
  CREATE INDEX containers_image ON containers(image_id);
  CREATE TABLE volumes (
    name TEXT PRIMARY KEY,
    driver TEXT NOT NULL,
    labels TEXT NOT NULL,
    options TEXT NOT NULL,
    created INTEGER NOT NULL
  );
  `,
  `
  ALTER TABLE volumes ADD COLUMN owner TEXT;        -- container that created it as an anonymous volume
  ALTER TABLE volumes ADD COLUMN destination TEXT;  -- the path it is mounted at in that container
  CREATE INDEX volumes_owner ON volumes(owner);
  CREATE TABLE networks (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    record TEXT NOT NULL,             -- JSON: driver, IPAM, options, labels, flags (Docker's shape)
    builtin INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL             -- RFC 3339 with nanoseconds
  );
  CREATE TABLE image_tag_times (
    image_id TEXT PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
    at TEXT NOT NULL                  -- RFC 3339: when a name was last pointed at the image here
  );
  `,
  `
  CREATE TABLE build_cache (
    key TEXT PRIMARY KEY,             -- sha256(parent image id, instruction, content hash)
    image_id TEXT NOT NULL            -- the image that step produced
  );
  `,
  `
  CREATE TABLE network_endpoints (
    container_id TEXT NOT NULL,
    network_id TEXT NOT NULL REFERENCES networks(id),
    config TEXT NOT NULL,             -- JSON: EndpointSettings asked for (Aliases, IPAMConfig, Links, MacAddress, DriverOpts)
    netns TEXT,                       -- bind-mounted namespace file while attached
    result TEXT,                      -- JSON: the CNI result of ADD while attached
    ports TEXT,                       -- JSON: published ports as NetworkSettings.Ports, while attached
    attached_at INTEGER,
    PRIMARY KEY (container_id, network_id)
  );
  CREATE INDEX network_endpoints_network ON network_endpoints(network_id);
  `,
  `
  CREATE TABLE image_hints (
    image_id TEXT PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
    hints TEXT NOT NULL               -- JSON: size hints computed from the image's layers
  );
  `,
  `
  CREATE TABLE container_usage (
    id TEXT PRIMARY KEY REFERENCES containers(id) ON DELETE CASCADE,
    size_rw INTEGER NOT NULL,         -- bytes in the writable layer (docker ps -s)
    measured INTEGER NOT NULL         -- unix ms of the walk that found it
  );
  `,
  `
  -- The CNI plugins an endpoint's ADD ran (JSON array), so its DEL runs the same ones.
  ALTER TABLE network_endpoints ADD COLUMN plugins TEXT;
  `,
];
