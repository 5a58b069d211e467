// npm run build: publishes the sidecar for this platform into dist/sidecar (Native AOT when a native toolchain is
// installed, else self-contained ReadyToRun), bundles the extension with esbuild, and packages a platform-specific .vsix.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const os = { linux: 'linux', darwin: 'osx', win32: 'win' }[process.platform];
const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
if (os === undefined || arch === undefined) {
  console.error(`error: no .NET runtime identifier for ${process.platform}-${process.arch}.`);
  process.exit(1);
}
const rid = `${os}-${arch}`;
const target = `${process.platform === 'win32' ? 'win32' : process.platform === 'darwin' ? 'darwin' : 'linux'}-${arch}`;

function run(title, command, args) {
  console.log(`\n== ${title}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32', env: { ...process.env, DOTNET_NOLOGO: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
  if (result.error || result.status !== 0) {
    console.error(`error: ${title} failed (${result.error?.message ?? `exit code ${result.status}`}).`);
    process.exit(result.status ?? 1);
  }
}

/** True when `name` runs (Native AOT links with clang, or gcc when clang is missing; MSVC on Windows). */
function hasTool(name) {
  const probe = spawnSync(name, ['--version'], { stdio: 'ignore', shell: process.platform === 'win32' });
  return !probe.error && probe.status === 0;
}

// OPENTHYMOS_SIDECAR_BUILD=aot|r2r chooses; by default Native AOT (answers initialize several times faster, see
// docs/benchmarks.md) when a C toolchain is found, else ReadyToRun, said loudly. An AOT publish that fails fails the build.
const requested = process.env.OPENTHYMOS_SIDECAR_BUILD ?? '';
if (!['', 'aot', 'r2r'].includes(requested)) {
  console.error(`error: OPENTHYMOS_SIDECAR_BUILD is '${requested}'; use 'aot' (Native AOT), 'r2r' (self-contained ReadyToRun) or leave it unset.`);
  process.exit(1);
}
const toolchain = process.platform === 'win32' || hasTool('clang') || hasTool('gcc');
const flavour = requested || (toolchain ? 'aot' : 'r2r');
if (flavour === 'r2r' && requested === '') {
  console.warn('\nwarning: no clang or gcc on PATH, so the sidecar is published as self-contained ReadyToRun, not Native AOT'
    + ' (it starts several times slower). Install clang (apt-get install clang) and build again to ship the Native AOT sidecar.');
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
const publish = ['publish', 'server/OpenThymos.Server', '-c', 'Release', '-r', rid, '-o', 'dist/sidecar'];
if (flavour === 'aot') {
  run('publish the sidecar (Native AOT)', 'dotnet', [...publish, '-p:PublishAot=true']);
} else {
  run('publish the sidecar (self-contained ReadyToRun)', 'dotnet', [...publish, '--self-contained', '-p:PublishReadyToRun=true']);
}
// Debug symbols and API docs are not needed at run time and would triple the .vsix.
for (const file of readdirSync(join(root, 'dist', 'sidecar'))) {
  if (/\.(dbg|pdb|xml)$/.test(file)) rmSync(join(root, 'dist', 'sidecar', file));
}
run('bundle the extension', 'npm', ['run', 'compile']);
const vsix = `${manifest.name}-${manifest.version}-${target}.vsix`;
run('package', 'npx', ['vsce', 'package', '--no-dependencies', '--target', target, '-o', vsix]);
console.log(`\nBuilt ${vsix}`);
