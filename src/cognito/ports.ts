// Ports every Cognito action reaches the outside world through, wired in edge/create-server.ts (the composition root).

import type { Clock } from "../shared/clock.js";
import type { ServerConfig } from "../shared/config.js";
import type { Logger } from "../shared/logger.js";
import type { Random } from "../shared/random.js";
import type { Store } from "../store/port.js";
import type { TriggerRunner } from "./trigger-runner/port.js";

/** What Cognito's actions and domain code reach the outside world through. */
export interface CognitoDeps {
  config: ServerConfig;
  clock: Clock;
  random: Random;
  store: Store;
  triggers: TriggerRunner;
  logger: Logger;
}
