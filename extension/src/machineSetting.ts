// Which value of a machine-scoped setting is honoured: the user's (or the remote machine's), never the workspace's.
// Pure (no vscode import), so the Node tests cover it.

/** The parts of `WorkspaceConfiguration.inspect()` this module reads. */
export interface InspectedSetting<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/**
 * The value of a setting that a repository must not control: the user's settings (VS Code keeps machine-scoped
 * values there, and a remote window's machine settings too), else the default. Workspace and folder values are
 * ignored even when an older VS Code does not enforce `"scope": "machine"`, because `.vscode/settings.json` is
 * a file an agent can propose and a cloned repository can ship: it must not choose the executable the extension
 * runs, where keys are kept, or whose name is recorded on decisions.
 */
export function machineValue<T>(inspected: InspectedSetting<T> | undefined, fallback: T): T {
  return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
}

/** True when a workspace or folder value is set and was ignored (the extension may say so in its log). */
export function hasIgnoredWorkspaceValue<T>(inspected: InspectedSetting<T> | undefined): boolean {
  return inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
}
