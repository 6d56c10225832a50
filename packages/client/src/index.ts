export type { BackoffPolicy } from "./backoff.ts";
export { ErrorRateWindow, type ErrorRateWindowOptions } from "./error-rate-window.ts";
export type { HeartbeatLoop, HeartbeatLoopOptions } from "./heartbeat-loop.ts";
export { RegistryClientError, type ClientFailureReason, type FailureReason } from "./registry-client-error.ts";
export type {
  AgentCard,
  DeliveryMode,
  HeartbeatReport,
  HeartbeatResult,
  RegisterResult,
  RestartContext,
  ServerReason,
  UpdateCardResult,
  WorkspaceStatus,
} from "./contract.ts";
export {
  createRegistryClient,
  type RegisterRetryOptions,
  type Registration,
  type RegistryClient,
  type RegistryClientOptions,
  type TokenSource,
} from "./registry-client.ts";
export { sleep, type Sleep, type Timing } from "./timing.ts";
