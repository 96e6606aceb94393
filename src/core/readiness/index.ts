/**
 * "Will this hub hold the event?": read what decides it from the cluster (readInputs.ts, with
 * client-node), simulate the spawn queue (simulate.ts), check each limit (checks.ts), suggest the changes
 * that make it fit (changes.ts), tell users what to expect (userMessage.ts), export it (markdown.ts).
 * Everything but readInputs.ts is pure and takes plain data.
 */
export { evaluateReadiness, type InputLine, type ReadinessReport } from './evaluate';
export { readReadinessInputs, readHubProfiles, type ReadInputsOptions, type ProfileChoice } from './readInputs';
export { eventLimits, type EventPlan, type ReadinessInputs, type PoolInput, type AutoscalerInput } from './inputs';
export { readinessChecks, formatMinutes, type ReadinessCheck, type Verdict } from './checks';
export { suggestChanges, type SuggestedChange, type ValuesDiff, type PredictedCurve } from './changes';
export { simulateStartup, type QueueModel, type StartupPrediction, type CurvePoint } from './simulate';
export { queueModel, type Adjustments } from './queueModel';
export { userMessage, type UserMessage } from './userMessage';
export { readinessMarkdown } from './markdown';
export { readinessChart, readinessChartSvg, changeChart, changeChartSvg, type ReadinessChartView } from './chart';
export type { SpawnHistory, SpawnHistorySource } from './spawnHistory';
export type { Sourced } from './sourced';
