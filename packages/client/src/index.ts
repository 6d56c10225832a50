export type { BackoffPolicy } from "./backoff.ts";
export { ErrorRateWindow, type ErrorRateWindowOptions } from "./error-rate-window.ts";
export type { HeartbeatLoop, HeartbeatLoopOptions } from "./heartbeat-loop.ts";
export { RegistryClientError, type ClientFailureReason, type FailureReason } from "./registry-client-error.ts";
export {
  createRegistryClient,
  type AgentCard,
  type DeliveryMode,
  type HeartbeatReport,
  type HeartbeatResult,
  type RegisterResult,
  type RegisterRetryOptions,
  type Registration,
  type RegistryClient,
  type RegistryClientOptions,
  type RestartContext,
  type TokenSource,
  type UpdateCardResult,
} from "./registry-client.ts";
export { sleep, type Sleep, type Timing } from "./timing.ts";
