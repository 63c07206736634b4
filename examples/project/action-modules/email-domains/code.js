// @ts-check
/**
 * Email-domain rules shared by actions: which domain an address belongs to, a domain list as
 * written in a secret ("a.example, b.example" or one per line), and whether a domain or one of
 * its parents is on such a list. Actions pin a published version:
 * `const domains = require('actions:email-domains');`
 */

/**
 * The lower-cased domain of an email address; '' when there is none.
 * @param {string | undefined} email
 */
exports.domainOf = (email) => {
  const address = (email ?? '').trim().toLowerCase();
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1);
};

/**
 * The domains in a list separated by commas, spaces or new lines.
 * @param {string | undefined} text
 * @returns {Set<string>}
 */
exports.parseDomainList = (text) =>
  new Set(
    (text ?? '')
      .toLowerCase()
      .split(/[\s,]+/)
      .filter(Boolean),
  );

/**
 * Whether `domain` or one of its parent domains is in `list` (`eu.blocked.example` matches
 * `blocked.example`; a bare top-level domain never matches).
 * @param {string} domain
 * @param {Set<string>} list
 */
exports.matchesDomain = (domain, list) => {
  const labels = domain.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    if (list.has(labels.slice(i).join('.'))) return true;
  }
  return false;
};
