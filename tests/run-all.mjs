// The one test command (npm test): installs what is missing, builds, then runs every test suite.
// .NET tests (core, server, CLI/MCP) run with `dotnet test`; Node tests run with `node --test`.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

function run(title, command, args) {
  console.log(`\n== ${title}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, DOTNET_NOLOGO: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
  if (result.error) {
    console.error(`error: could not run ${command}: ${result.error.message}`);
    process.exit(1);
  }

  if (result.status !== 0) {
    console.error(`error: ${title} failed (exit code ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  run('install npm packages', 'npm', ['ci', '--no-audit', '--no-fund']);
}

run('compile the TypeScript protocol', 'npx', ['tsc', '-p', 'extension/tsconfig.json']);
run('build .NET', 'dotnet', ['build', 'OpenThymos.sln']);
run('.NET tests', 'dotnet', ['test', 'OpenThymos.sln', '--no-build', '--logger', 'console;verbosity=detailed']);
run('Node tests', 'node', ['--test', '--test-reporter=spec', 'tests/node/']);
console.log('\nAll test suites passed.');
