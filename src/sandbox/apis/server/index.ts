// The APIs only server templates have: the incoming request, the response, event data, the
// container, outgoing HTTP, and Google Cloud services.

import type { ApiDefinition } from '../types.js';

export const SERVER_APIS: Record<string, ApiDefinition> = {};
