// Whether `npm ci` can install from package-lock.json, decided without running it: npm ci refuses a
// lock file that is out of step with package.json with a 100-line usage error. The usual cause: a
// registry that hides other platforms' optional packages (@next/swc-darwin-*) wrote the lock file.
// Node built-ins only: this runs before node_modules exists.

const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"];

/**
 * @typedef {{ dependencies?: Record<string, string>, devDependencies?: Record<string, string>,
 *   optionalDependencies?: Record<string, string>, peerDependencies?: Record<string, string>,
 *   peerDependenciesMeta?: Record<string, { optional?: boolean }> }} Manifest
 * @typedef {{ packages?: Record<string, Manifest> }} LockFile
 */

/**
 * What `npm ci` would miss in the lock file: package.json dependencies the lock's root does not
 * declare as written, and packages the locked tree needs that have no entry.
 * @param {Manifest} manifest package.json
 * @param {LockFile} lock package-lock.json
 * @returns {string[]} one line per gap, e.g. "@next/swc-darwin-arm64 (needed by next)"
 */
export function lockFileGaps(manifest, lock) {
  const packages = lock.packages;
  if (!packages) return ['no "packages" section (a lock file older than npm 7)'];
  const gaps = [];
  const root = packages[""] ?? {};
  for (const field of DEPENDENCY_FIELDS.slice(0, 3)) {
    for (const [name, spec] of Object.entries(manifest[field] ?? {})) {
      if (root[field]?.[name] !== spec) gaps.push(`${name}@${spec} (package.json ${field}, not in the lock file as written)`);
    }
  }
  for (const [location, entry] of Object.entries(packages)) {
    for (const name of requiredNames(entry, location === "")) {
      if (!resolves(packages, location, name)) gaps.push(`${name} (needed by ${location === "" ? "package.json" : packageName(location)})`);
    }
  }
  return gaps;
}

/**
 * `ci` when the lock file can drive npm ci, else `install` with the reason in one line.
 * @param {Manifest} manifest
 * @param {LockFile | undefined} lock undefined when there is no package-lock.json
 * @returns {{ command: "ci" } | { command: "install", reason: string }}
 */
export function installPlan(manifest, lock) {
  if (!lock) return { command: "install", reason: "there is no package-lock.json" };
  const gaps = lockFileGaps(manifest, lock);
  if (gaps.length === 0) return { command: "ci" };
  const shown = gaps.slice(0, 3).join(", ") + (gaps.length > 3 ? `, and ${gaps.length - 3} more` : "");
  return { command: "install", reason: `package-lock.json lacks ${gaps.length} package(s) npm ci would need (${shown}), so npm ci would refuse it` };
}

/**
 * What npm installs for a package: its dependencies, optional ones (every platform's, as npm locks
 * them), peers that are not optional, and for the project itself its devDependencies.
 * @param {Manifest} entry
 * @param {boolean} isRoot
 */
function requiredNames(entry, isRoot) {
  const optionalPeers = entry.peerDependenciesMeta ?? {};
  const peers = Object.keys(entry.peerDependencies ?? {}).filter((name) => !optionalPeers[name]?.optional);
  const dev = isRoot ? Object.keys(entry.devDependencies ?? {}) : [];
  return [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {}), ...peers, ...dev];
}

/** Node's lookup: node_modules/<name> beside the package, then in each enclosing node_modules. */
function resolves(packages, location, name) {
  let base = location;
  for (;;) {
    if (packages[`${base ? `${base}/` : ""}node_modules/${name}`]) return true;
    if (base === "") return false;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut < 0 ? "" : base.slice(0, cut);
  }
}

function packageName(location) {
  return location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length);
}
