// One sidecar per workspace folder, started with vscode-languageclient over stdio.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import type {
  CloseHandlerResult,
  ErrorHandler,
  ErrorHandlerResult,
  Executable,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';
import { readConfig } from '../config';
import { isLedgerHeld, isStartRefused, startFailure } from './sidecarStartFailure';
import { Commands } from '../constants';
import { LedgerDidProgressNotification } from '../protocol';
import type { InitializeResult, LedgerDidProgressParams } from '../protocol';
import { showError, showInformation, showWarning } from '../text/visibleUi';

/** What the status bar shows about a sidecar. */
/** `elsewhere`: another process (usually another window's sidecar) holds the folder's ledger; not restarted. */
export type SidecarState = 'starting' | 'running' | 'restarting' | 'stopped' | 'failed' | 'elsewhere';

/** Where the sidecar executable is, and how to run it. */
export interface SidecarCommand {
  /** The program. */
  command: string;
  /** Arguments before ours (e.g. the .dll for `dotnet`). */
  prefixArgs: string[];
  /** Where it came from, for messages. */
  source: 'bundled' | 'setting';
}

/** Finds the sidecar: the bundled self-contained executable, else `openthymos.sidecarPath`. */
export function locateSidecar(extensionPath: string, sidecarPath: string): SidecarCommand | string {
  const exe = process.platform === 'win32' ? 'OpenThymos.Server.exe' : 'OpenThymos.Server';
  if (sidecarPath !== '') {
    if (!fs.existsSync(sidecarPath)) {
      return `The sidecar set in openthymos.sidecarPath does not exist: ${sidecarPath}. Fix the setting or clear it to use the bundled sidecar.`;
    }
    if (sidecarPath.endsWith('.dll')) {
      return { command: 'dotnet', prefixArgs: [sidecarPath], source: 'setting' };
    }
    return { command: sidecarPath, prefixArgs: [], source: 'setting' };
  }
  const bundled = path.join(extensionPath, 'dist', 'sidecar', exe);
  if (fs.existsSync(bundled)) {
    ensureExecutable(bundled);
    return { command: bundled, prefixArgs: [], source: 'bundled' };
  }
  return `The bundled OpenThymos sidecar is missing (${bundled}). Install the platform-specific extension package, or set openthymos.sidecarPath to an OpenThymos.Server executable.`;
}

function ensureExecutable(file: string): void {
  if (process.platform === 'win32') {
    return;
  }
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    try {
      fs.chmodSync(file, 0o755);
    } catch {
      // Starting it will fail with a clear message in the log.
    }
  }
}

/**
 * Restarts a crashed sidecar up to 5 times in 3 minutes, then gives up with a message. A sidecar that refused its
 * folder in answer to `initialize` (another process holds the ledger, the ledger was rolled back, the folder is a copy)
 * is not restarted: it would only be refused again.
 */
class RestartingErrorHandler implements ErrorHandler {
  private readonly restarts: number[] = [];

  constructor(private readonly folderName: string, private readonly onRestart: () => void, private readonly refused: () => boolean) {}

  error(): ErrorHandlerResult {
    return { action: ErrorAction.Continue, handled: true };
  }

  closed(): CloseHandlerResult {
    if (this.refused()) {
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    const now = Date.now();
    this.restarts.push(now);
    while (this.restarts.length > 0 && now - (this.restarts[0] ?? now) > 3 * 60_000) {
      this.restarts.shift();
    }
    if (this.restarts.length > 5) {
      return {
        action: CloseAction.DoNotRestart,
        message: `The OpenThymos sidecar for '${this.folderName}' stopped 6 times in 3 minutes and will not be restarted. Check the "OpenThymos Sidecar" output, then run "OpenThymos: Refresh" to start it again.`,
      };
    }
    this.onRestart();
    return { action: CloseAction.Restart, handled: true };
  }
}

/**
 * The language client, except that a start refusal (`LedgerHeld`, `LedgerRolledBack`, `WorkspaceCopied`) is not also
 * announced by the library's own error notification: the extension shows the sidecar's message once.
 */
class SidecarLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown, showNotification?: boolean | 'force'): void {
    super.error(message, data, isStartRefused(data) ? false : showNotification);
  }
}

/** The sidecar of one workspace folder. */
export class FolderSidecar implements vscode.Disposable {
  readonly client: LanguageClient;
  private stateValue: SidecarState = 'stopped';
  private heldElsewhere = false;
  /** The sidecar refused the folder in answer to `initialize`; it is not restarted until the user runs Refresh. */
  private refused = false;
  private info: InitializeResult | undefined;
  private readonly stateEmitter = new vscode.EventEmitter<SidecarState>();
  private readonly readyEmitter = new vscode.EventEmitter<void>();
  private readonly progressEmitter = new vscode.EventEmitter<LedgerDidProgressParams>();
  private readonly disposables: { dispose(): unknown }[] = [];
  /** Fires when the state changes. */
  readonly onDidChangeState = this.stateEmitter.event;
  /** Fires each time the sidecar is (re)started and initialized. */
  readonly onDidBecomeReady = this.readyEmitter.event;
  /** Fires for each `ledger/didProgress` (the client keeps one handler per method, so this is the only one). */
  readonly onDidProgress = this.progressEmitter.event;

  constructor(readonly folder: vscode.WorkspaceFolder, sidecar: SidecarCommand, outputChannel: vscode.LogOutputChannel) {
    const config = readConfig(folder);
    const args = [...sidecar.prefixArgs, '--workspace', folder.uri.fsPath, '--log-level', config.logLevel];
    if (config.keyDirectory !== '') {
      args.push('--key-dir', config.keyDirectory);
    }
    const executable: Executable = { command: sidecar.command, args, transport: TransportKind.stdio, options: { cwd: folder.uri.fsPath } };
    const serverOptions: ServerOptions = { run: executable, debug: executable };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [],
      workspaceFolder: folder,
      outputChannel,
      initializationOptions: { reviewer: config.reviewerName },
      errorHandler: new RestartingErrorHandler(folder.name, () => { this.setState('restarting'); }, () => this.refused),
      initializationFailedHandler: (error) => {
        this.heldElsewhere = isLedgerHeld(error);
        this.refused = isStartRefused(error);
        outputChannel.appendLine(`[${folder.name}] the sidecar failed to initialize: ${String(error)}`);
        return false;
      },
    };
    this.client = new SidecarLanguageClient(`openthymos.sidecar.${String(folder.index)}`, `OpenThymos Sidecar (${folder.name})`, serverOptions, clientOptions);
    this.disposables.push(this.client.onNotification(LedgerDidProgressNotification, (params) => { this.progressEmitter.fire(params); }));
    this.disposables.push(this.client.onDidChangeState((event) => {
      if (event.newState === State.Running) {
        this.info = this.client.initializeResult as InitializeResult | undefined;
        this.setState('running');
        this.readyEmitter.fire();
      } else if (event.newState === State.Starting) {
        this.setState(this.stateValue === 'restarting' ? 'restarting' : 'starting');
      } else if (this.heldElsewhere) {
        this.setState('elsewhere');
      } else if (this.refused) {
        this.setState('failed');
      } else if (this.stateValue !== 'restarting') {
        this.setState('stopped');
      }
    }));
  }

  /** The state. */
  get state(): SidecarState {
    return this.stateValue;
  }

  /** What `initialize` returned. */
  get workspaceInfo(): InitializeResult | undefined {
    return this.info;
  }

  /** Starts the sidecar; shows a message when it cannot. */
  async start(): Promise<void> {
    this.heldElsewhere = false;
    this.refused = false;
    this.setState('starting');
    try {
      await this.client.start();
    } catch (error) {
      const failure = startFailure(this.folder.name, error);
      this.setState(failure.heldElsewhere ? 'elsewhere' : 'failed');
      const show = failure.heldElsewhere ? showWarning : showError;
      const copy = 'Copy Command';
      const log = 'Show Sidecar Log';
      const choice = failure.command === undefined ? await show(failure.text, log) : await show(failure.text, copy, log);
      if (choice === copy && failure.command !== undefined) {
        await vscode.env.clipboard.writeText(failure.command);
        void showInformation(`Copied to the clipboard: ${failure.command} — run it in a terminal, then "OpenThymos: Refresh".`);
      } else if (choice === log) {
        await vscode.commands.executeCommand(Commands.ShowSidecarLog);
      }
    }
  }

  /** Stops the sidecar (shutdown, exit). */
  async stop(): Promise<void> {
    if (this.client.isRunning()) {
      try {
        await this.client.stop(5000);
      } catch {
        // Already gone.
      }
    }
    this.setState('stopped');
  }

  private setState(state: SidecarState): void {
    if (state !== this.stateValue) {
      this.stateValue = state;
      this.stateEmitter.fire(state);
    }
  }

  dispose(): void {
    void this.stop();
    for (const d of this.disposables) {
      d.dispose();
    }
    this.stateEmitter.dispose();
    this.readyEmitter.dispose();
    this.progressEmitter.dispose();
  }
}
