/**
 * `hookchain`: the public types of the action contract, one namespace per trigger
 * (`PostLogin.Event`, `PostLogin.API`, ...). Authors usually import one trigger's types from
 * `hookchain/types/<trigger>` and run their actions locally with `hookchain/testing`.
 */
export type * from './types/index.d.ts';
