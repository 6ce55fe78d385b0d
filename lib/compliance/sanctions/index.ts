// Public API of sanctions screening.
export { importSanctionsCsv, parseSanctionsCsv, SANCTIONS_IMPORT_ROWS_MAX } from "./import-sanctions-csv";
export { DEFAULT_MATCH_THRESHOLD, matchName, nameSimilarity, type NameMatch } from "./match-name";
export { normalizeName } from "./normalize-name";
export { screenName, type ScreenResult } from "./screen-name";
