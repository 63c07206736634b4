/** The time in epoch milliseconds: `Date.now` in production, a clock the test moves by hand in tests. */
export type Clock = () => number;
