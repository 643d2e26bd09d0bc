// The package's public entry: typed trigger handlers, trigger events as Cognito sends them, and their builders.
export {
  ADMIN_SCOPE,
  type BuildEventOptions,
  type BuiltEvent,
  buildEvent,
  CLIENT_ID_NOT_APPLICABLE,
  CODE_PLACEHOLDER,
  LINK_PLACEHOLDER,
  UNKNOWN_SDK_VERSION,
  USERNAME_PLACEHOLDER,
} from "./triggers/build-event.js";
export { LAMBDA_CONFIG_TRIGGERS, type LambdaConfigTrigger } from "./triggers/catalog.js";
export {
  type CognitoTriggerHandler,
  type CustomMessage,
  customMessage,
  defineTrigger,
  isSource,
  type LambdaCallback,
  type LambdaContext,
  type MessagePlaceholders,
  type TriggerHandler,
} from "./triggers/define-trigger.js";
export type * from "./triggers/events.js";
export {
  type EventVersion,
  isTriggerSource,
  SOURCES,
  type SourceInfo,
  type SourceOf,
  sourceInfo,
  TRIGGER_SOURCES,
  type TriggerOf,
  type TriggerSource,
  triggerOfSource,
  UNSUPPORTED_TRIGGERS,
} from "./triggers/sources.js";
