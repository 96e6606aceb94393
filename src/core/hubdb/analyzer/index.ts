/** The start-up cost analyzer (see analyzeHubDb.ts for the whole, costModel.ts for the model). */
export { analyzeHubDb, type AnalyzeOptions, type HubDbAnalysis, type StartupQuery } from './analyzeHubDb';
export {
  calibrationMarkdown,
  calibrationReport,
  CALIBRATION_CASES,
  calibrationStats,
  type CalibrationReport,
  type CalibrationRow,
} from './calibration';
export { Z2JH_CHARTS, jupyterhubForChart, smallestChartFor } from './chartVersions';
export {
  bashCleanupScript,
  bashQuote,
  encodePathSegment,
  isWellFormed,
  leftOutReason,
  MAX_REQUEST_PATH,
  MAX_STALE_DAYS,
  printableName,
  pythonCleanupScript,
  pythonQuote,
  scriptTime,
  serversThatFit,
  type CleanupScriptOptions,
  type ScriptLanguage,
} from './cleanupScript';
export * as costModel from './costModel';
export {
  gatherStartupStats,
  userLoads,
  type ColumnWidths,
  type StartupStats,
  type UserLoad,
  type UserLoadList,
  type UserLoads,
} from './dbStats';
export { healthSummary, type HealthItem, type HealthSummary, type TableSize } from './health';
export { formatBytes, formatCount, formatSeconds, parseMemoryQuantity } from '../../../shared/format';
export { findStaleServers, rankOffenders, type Offender, type StaleServer, type StaleServers } from './offenders';
export { explainQueryPlan, explainQueryPlanRows, type PlanNode } from './queryPlan';
export {
  FIXED_JUPYTERHUB,
  MAX_SCRIPT_BYTES,
  remediationPlan,
  suggestNamedServerLimit,
  type RemediationPlan,
} from './remediation';
export {
  HUB_5_COLUMNS,
  IN_KEYS,
  schemaColumns,
  startupStatements,
  withKeys,
  type StartupStatement,
} from './startupSql';
export { startupModel, type StartupEstimate } from './startupModel';
export { verdictFor, type Verdict, type VerdictStatus } from './verdict';
export {
  VERSION_FAMILIES,
  familyById,
  familyForVersion,
  parseJupyterHubVersion,
  worstFamilyForSchema,
  type VersionFamily,
  type VersionFamilyId,
} from './versionFamilies';
