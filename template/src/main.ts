// giosg Visitor Variables: sends, removes or clears giosg visitor variables through giosg's browser
// API, queueing the calls exactly as giosg's own snippet does until the giosg client has loaded.
import { createArgumentsQueue, injectScript, logToConsole, setInWindow } from 'gtm';
import type { TagData } from 'gtm';
import { planCalls, readFlag, type GiosgCall } from './calls';
import { checkOrganizationId, CLIENT_SCRIPT_PREFIX, GIOSG_HOST } from './client';
import type { Fields, UntrustedData } from './fields';

const LOG_PREFIX = 'giosg Visitor Variables: ';

/** Calls `_giosg` with exactly the call's arguments, so `arguments.length` is what giosg expects. */
function callGiosg(giosg: (...args: unknown[]) => void, call: GiosgCall): void {
  if (call.length === 2) giosg(call[0], call[1]);
  else if (call.length === 3) giosg(call[0], call[1], call[2]);
  else if (call.length === 5) giosg(call[0], call[1], call[2], call[3], call[4]);
  else giosg(call[0], call[1], call[2], call[3], call[4], call[5]);
}

export default function main(data: TagData<Fields>): void {
  // Field values come from GTM variables and can be of any type: read them as unknown.
  const input = data as UntrustedData;
  let finished = false;
  const finish = (ok: boolean) => {
    if (finished) return;
    finished = true;
    if (ok) data.gtmOnSuccess();
    else data.gtmOnFailure();
  };

  // Like giosg's snippet (w[o] = w[o] || function () { (w[o]._e = w[o]._e || []).push(arguments) }):
  // an existing _giosg (the live client or the snippet's stub) is kept; otherwise calls wait in _e.
  const giosg = createArgumentsQueue('_giosg', '_giosg._e');
  const plan = planCalls(input);
  const problems = plan.problems;

  let organizationId: string | undefined;
  if (readFlag(input.loadClient, 'Load the giosg client', problems)) {
    const organization = checkOrganizationId(input.organizationId);
    if (organization.ok) organizationId = organization.organizationId;
    else problems.push(organization.reason);
  }
  if (organizationId !== undefined) {
    // As giosg's snippet does: _c and _h are set even on an existing _giosg.
    setInWindow('_giosg._c', organizationId, true);
    setInWindow('_giosg._h', GIOSG_HOST, true);
  }

  plan.calls.forEach((call) => callGiosg(giosg, call));
  problems.forEach((problem) => logToConsole(LOG_PREFIX + problem));

  if (organizationId === undefined) {
    finish(problems.length === 0);
    return;
  }
  // Built right here from constants so the compiler can see the URL prefix it must permit.
  const clientScriptUrl = CLIENT_SCRIPT_PREFIX + organizationId;
  injectScript(
    clientScriptUrl,
    () => finish(problems.length === 0),
    () => {
      logToConsole(
        LOG_PREFIX +
          'the giosg client could not be loaded from ' +
          clientScriptUrl +
          '. Check the organization ID and that nothing blocks service.giosg.com.',
      );
      finish(false);
    },
    // The cache token makes GTM inject the script once per page however often the tag fires.
    clientScriptUrl,
  );
}
