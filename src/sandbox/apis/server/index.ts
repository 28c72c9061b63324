// The APIs only server templates have: the incoming request, the response, event data, the
// container, outgoing HTTP, Promise, and Google Cloud services. Some names exist on the web side
// too (getCookieValues, setCookie, sha256, toBase64, …): these are the server's forms.

import type { ApiDefinition } from '../types.js';
import { CLOUD_APIS } from './cloud.js';
import { EVENT_APIS } from './event.js';
import { HTTP_APIS } from './http.js';
import { PROMISE_APIS } from './promise.js';
import { REQUEST_APIS } from './request.js';
import { RESPONSE_APIS } from './response.js';
import { UTILITY_APIS } from './utilities.js';

export const SERVER_APIS: Record<string, ApiDefinition> = {
  ...REQUEST_APIS,
  ...RESPONSE_APIS,
  ...EVENT_APIS,
  ...HTTP_APIS,
  ...PROMISE_APIS,
  ...UTILITY_APIS,
  ...CLOUD_APIS,
};
