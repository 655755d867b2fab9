/** DI tokens shared by every Nest module of the ledger (wiring only; no logic here). */
export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');
export const READ_MODEL_DB = Symbol('READ_MODEL_DB');
