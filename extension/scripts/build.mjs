// npm run build: publishes the self-contained sidecar for this platform into dist/sidecar,
// bundles the extension with esbuild, and packages a platform-specific .vsix.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
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

rmSync(join(root, 'dist'), { recursive: true, force: true });
run('publish the sidecar', 'dotnet', ['publish', 'server/OpenThymos.Server', '-c', 'Release', '-r', rid, '--self-contained', '-p:PublishReadyToRun=true', '-o', 'dist/sidecar']);
run('bundle the extension', 'npm', ['run', 'compile']);
const vsix = `${manifest.name}-${manifest.version}-${target}.vsix`;
run('package', 'npx', ['vsce', 'package', '--no-dependencies', '--target', target, '-o', vsix]);
console.log(`\nBuilt ${vsix}`);
