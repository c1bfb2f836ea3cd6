/** Injection tokens of the read models (STYLE.md: tokens are named constants in one file). */
export const READ_MODEL_STORE = Symbol('READ_MODEL_STORE');
