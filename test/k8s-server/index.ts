/** The Kubernetes API test server: start it, fill its cluster with z2jh objects, play scenarios. */
export { startTestServer, type TestServer, type TestServerOptions, type RequestRecord } from './server';
export { testTokens, type TokenSpec } from './auth';
export type { ClusterState, HubMetrics } from './cluster';
export type { ContainerFs, ContainerFsOptions } from './containerFs';
export type { KubeconfigOptions } from './kubeconfig';
export type { FaultOptions } from './faults';
export { useTestServer } from './useTestServer';
export { findScenario, scenarios, Timeline, type Scenario, type ScenarioOptions } from './scenarios';
