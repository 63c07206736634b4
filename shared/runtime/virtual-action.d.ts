/** Supplied by the bundler (shared/build): returns the tenant's CommonJS module exports. */
declare module 'hookchain:action' {
  const loadAction: () => unknown;
  export default loadAction;
}
