import type { Services } from './services';

/** openthymos.showSidecarLog: shows the "OpenThymos Sidecar" output. */
export function showSidecarLog(services: Services): void {
  services.sidecars.showLog();
}

/** openthymos.refresh: starts stopped sidecars and reloads proposals, timeline and writs. */
export async function refresh(services: Services): Promise<void> {
  await services.sidecars.startStopped();
  await services.store.reloadAll();
  services.timeline.refreshSoon();
  services.agents.refresh();
}
