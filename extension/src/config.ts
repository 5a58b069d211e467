// The extension's settings. This is the only module that reads `openthymos.*` configuration.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { ConfigSection } from './constants';
import { machineValue } from './machineSetting';

/** The log levels the sidecar accepts. */
export type SidecarLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** The settings in force. */
export interface ThymosConfig {
  /** The sidecar executable to use instead of the bundled one (empty = bundled). */
  sidecarPath: string;
  /** The key directory passed as `--key-dir` (empty = the sidecar's default). */
  keyDirectory: string;
  /** The reviewer name recorded as `human:NAME` (defaults to the OS user). */
  reviewerName: string;
  /** The sidecar's log level. */
  logLevel: SidecarLogLevel;
  /** Start a sidecar in every folder, even one without `.thymos/` (default false: folders opt in). */
  autoStart: boolean;
}

const levels: readonly SidecarLogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'reviewer';
  }
}

/**
 * Reads the settings (for a folder when given, so folder settings win), except `sidecarPath`, `keyDirectory` and
 * `reviewerName`, which are machine-scoped: only the user's value counts (see machineSetting.ts for why).
 */
export function readConfig(scope?: vscode.ConfigurationScope): ThymosConfig {
  const section = vscode.workspace.getConfiguration(ConfigSection, scope);
  const level = section.get<string>('logLevel', 'info');
  const machine = (key: string): string => machineValue(section.inspect<string>(key), '').trim();
  const reviewer = machine('reviewerName');
  return {
    sidecarPath: machine('sidecarPath'),
    keyDirectory: machine('keyDirectory'),
    reviewerName: reviewer === '' ? osUser() : reviewer,
    logLevel: levels.includes(level as SidecarLogLevel) ? (level as SidecarLogLevel) : 'info',
    autoStart: section.get<boolean>('autoStart', false),
  };
}

/** True when a configuration change touches settings that need a sidecar restart. */
export function affectsSidecar(event: vscode.ConfigurationChangeEvent): boolean {
  return ['sidecarPath', 'keyDirectory', 'reviewerName', 'logLevel'].some((key) => event.affectsConfiguration(`${ConfigSection}.${key}`));
}

/** True when a configuration change touches `openthymos.autoStart` (folders may now start, nothing restarts). */
export function affectsAutoStart(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(`${ConfigSection}.autoStart`);
}
