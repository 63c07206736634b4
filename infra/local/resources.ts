/** Cosmetic identity of the local "account": used in ARNs. Matches local-aws-sqs's default account. */
export const LOCAL_ACCOUNT = { region: 'us-east-1', accountId: '123456789012' } as const;
