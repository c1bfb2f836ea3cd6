/** A business date in Europe/London, 'YYYY-MM-DD'. Instants are ISO strings and named `…At`. */
export type LocalDate = string;
