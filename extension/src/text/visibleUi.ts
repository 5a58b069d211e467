// The editor's notifications, modal dialogs and Markdown for agent text, each through visibleText.ts: every message is
// shown with its controls, bidirectional and invisible characters as markers and its link syntax broken, and every
// MarkdownString built from agent text is untrusted (no command: links) and renders no HTML.
import * as vscode from 'vscode';
import { notificationText } from './visibleText';

/** A modal's options with its detail neutralized. */
function safeOptions(options: vscode.MessageOptions): vscode.MessageOptions {
  return options.detail === undefined ? options : { ...options, detail: notificationText(options.detail) };
}

type MessageFunction = <T extends string>(message: string, options: vscode.MessageOptions, ...items: T[]) => Thenable<T | undefined>;

/** Calls a message function of VS Code with the message (and a modal's detail) neutralized. */
function neutralized<T extends string>(show: MessageFunction, message: string, rest: (T | vscode.MessageOptions)[]): Thenable<T | undefined> {
  const [first, ...others] = rest;
  const hasOptions = first !== undefined && typeof first !== 'string';
  return show(notificationText(message), hasOptions ? safeOptions(first) : {}, ...((hasOptions ? others : rest) as T[]));
}

/** vscode.window.showInformationMessage with the message neutralized. */
export function showInformation<T extends string>(message: string, ...items: T[]): Thenable<T | undefined>;
export function showInformation<T extends string>(message: string, options: vscode.MessageOptions, ...items: T[]): Thenable<T | undefined>;
export function showInformation<T extends string>(message: string, ...rest: (T | vscode.MessageOptions)[]): Thenable<T | undefined> {
  return neutralized((m, o, ...i) => vscode.window.showInformationMessage(m, o, ...i), message, rest);
}

/** vscode.window.showWarningMessage with the message neutralized. */
export function showWarning<T extends string>(message: string, ...items: T[]): Thenable<T | undefined>;
export function showWarning<T extends string>(message: string, options: vscode.MessageOptions, ...items: T[]): Thenable<T | undefined>;
export function showWarning<T extends string>(message: string, ...rest: (T | vscode.MessageOptions)[]): Thenable<T | undefined> {
  return neutralized((m, o, ...i) => vscode.window.showWarningMessage(m, o, ...i), message, rest);
}

/** vscode.window.showErrorMessage with the message neutralized. */
export function showError<T extends string>(message: string, ...items: T[]): Thenable<T | undefined>;
export function showError<T extends string>(message: string, options: vscode.MessageOptions, ...items: T[]): Thenable<T | undefined>;
export function showError<T extends string>(message: string, ...rest: (T | vscode.MessageOptions)[]): Thenable<T | undefined> {
  return neutralized((m, o, ...i) => vscode.window.showErrorMessage(m, o, ...i), message, rest);
}

/** vscode.window.setStatusBarMessage with the message neutralized. */
export function setStatusBarMessage(message: string, hideAfterTimeout: number): vscode.Disposable {
  return vscode.window.setStatusBarMessage(notificationText(message).replace(/\$\(/g, '\\$('), hideAfterTimeout);
}

/** A Markdown hover or tooltip from text built by reviewText.ts: untrusted (no command links), no HTML, no theme icons. */
export function safeMarkdown(value: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(value, false);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  return markdown;
}
