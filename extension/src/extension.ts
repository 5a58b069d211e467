// Entry point: activation creates the one context object that owns every disposable.
import type * as vscode from 'vscode';
import { ThymosContext } from './thymosContext';

let current: ThymosContext | undefined;

/** Called by VS Code on activation. */
export async function activate(extension: vscode.ExtensionContext): Promise<void> {
  current = new ThymosContext(extension);
  extension.subscriptions.push(current);
  await current.start();
}

/** Called by VS Code on deactivation; stops the sidecars cleanly. */
export async function deactivate(): Promise<void> {
  const context = current;
  current = undefined;
  await context?.stop();
}
