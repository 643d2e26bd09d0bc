// Cognito's API timestamps (CreationDate, LastModifiedDate...): epoch seconds with a millisecond fraction.

export function epochSeconds(ms: number): number {
  return ms / 1000;
}
