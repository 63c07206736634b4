// @ts-check
/**
 * IP allow-list: users may log in only from the networks listed in the `ALLOWED_CIDRS` secret,
 * e.g. `10.0.0.0/8, 203.0.113.0/24, 2001:db8::/32` (commas or spaces; a bare address means that
 * one address). Every other login is denied.
 *
 * It fails closed: when the secret is missing or has an entry it cannot read, or the caller sent
 * no client IP, the login is denied and the reason is logged, so a typo never opens the door.
 *
 * Secrets: ALLOWED_CIDRS
 */
const net = require('node:net');

const DENIED = 'Access from your network is not allowed.';
const UNAVAILABLE = 'Login is not available right now. Please contact your administrator.';

/**
 * Parses the allow-list. Module-level code runs once per instance, so the parsed list is kept
 * for the secret value it came from.
 * @type {{ source: string, list: import('node:net').BlockList } | undefined}
 */
let parsed;

/**
 * @param {string} source
 * @returns {import('node:net').BlockList}
 */
function allowList(source) {
  if (parsed?.source === source) return parsed.list;
  const list = new net.BlockList();
  const entries = source.split(/[\s,]+/).filter(Boolean);
  if (entries.length === 0) throw new Error('ALLOWED_CIDRS is empty');
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const version = net.isIP(address);
    const bits = prefix === undefined ? (version === 4 ? 32 : 128) : Number(prefix);
    const max = version === 4 ? 32 : 128;
    if (version === 0 || extra !== undefined || !Number.isInteger(bits) || bits < 0 || bits > max) {
      throw new Error(`ALLOWED_CIDRS has an invalid entry: "${entry}"`);
    }
    list.addSubnet(address, bits, version === 4 ? 'ipv4' : 'ipv6');
  }
  parsed = { source, list };
  return list;
}

/**
 * @param {import('hookchain/types/post-login').Event} event
 * @param {import('hookchain/types/post-login').PostLoginAPI} api
 */
exports.onExecutePostLogin = async (event, api) => {
  let list;
  try {
    list = allowList(event.secrets.ALLOWED_CIDRS ?? '');
  } catch (error) {
    console.error(`IP allow-list misconfigured: ${error instanceof Error ? error.message : error}`);
    api.access.deny(UNAVAILABLE);
    return;
  }

  const ip = event.request.ip ?? '';
  const version = net.isIP(ip);
  if (version === 0) {
    console.error(`Denying ${event.user.user_id}: no valid client IP in the request ("${ip}")`);
    api.access.deny(DENIED);
    return;
  }
  if (!list.check(ip, version === 4 ? 'ipv4' : 'ipv6')) {
    console.log(`Denying ${event.user.user_id}: ${ip} is not on the allow-list`);
    api.access.deny(DENIED);
  }
};
