/** Formats the public ticket number: `TKT-<year>-<sequence, at least 6 digits>`. */
export function formatTicketNumber(year: number, sequence: number): string {
  return `TKT-${year}-${String(sequence).padStart(6, "0")}`;
}
