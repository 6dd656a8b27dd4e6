// What a stage was given to run with: the requested resources the scorecard charges it for.
export type StageResources = { executors: number; cores: number; memoryGb: number; driverCores: number; driverMemoryGb: number };
