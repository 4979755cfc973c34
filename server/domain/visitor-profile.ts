/**
 * How a verified visitor's name and email are kept. The site's signature always covers the
 * user id; it covers a name or an email only when they are inside it (JWT claims, or the email
 * in the identity hash). Anything else was merely sent along by the browser, so it is kept as
 * the visitor's own unverified statement and never treated as proof of who they are.
 */

/** A name or email as it arrived, and whether the site's signature covered it. */
export interface StatedField {
  value: string;
  signed: boolean;
}

export interface VisitorProfile {
  name: string | null;
  nameVerified: boolean;
  email: string | null;
  emailVerified: boolean;
}

export const EMPTY_PROFILE: VisitorProfile = { name: null, nameVerified: false, email: null, emailVerified: false };

function mergeField(stored: { value: string | null; verified: boolean }, stated: StatedField | undefined): { value: string | null; verified: boolean } {
  // Not sent: what we had stays, flag and all.
  if (!stated) return stored;
  // Sent unsigned but equal to what a signature once vouched for: still vouched for.
  const verified = stated.signed || (stored.verified && stored.value === stated.value);
  return { value: stated.value, verified };
}

/** The profile after a new session states `name` and `email`: each sent field replaces the stored one with its own flag. */
export function mergeProfile(stored: VisitorProfile, stated: { name?: StatedField | undefined; email?: StatedField | undefined }): VisitorProfile {
  const name = mergeField({ value: stored.name, verified: stored.nameVerified }, stated.name);
  const email = mergeField({ value: stored.email, verified: stored.emailVerified }, stated.email);
  return { name: name.value, nameVerified: name.verified, email: email.value, emailVerified: email.verified };
}

/** What a new ticket records about its customer: a verified field wins over a pre-chat form's answer. */
export function ticketCustomer(profile: VisitorProfile, form: { name?: string | undefined; email?: string | undefined }) {
  return {
    name: profile.nameVerified ? profile.name : (form.name ?? profile.name),
    email: profile.emailVerified ? profile.email : (form.email ?? profile.email),
  };
}

/** Whether a ticket's stored contact still is the visitor's verified one (a later change of email is not vouched for retroactively). */
export function ticketContactVerified(profile: VisitorProfile, ticket: { name: string | null; email: string | null }) {
  return {
    nameVerified: profile.nameVerified && ticket.name !== null && ticket.name === profile.name,
    emailVerified: profile.emailVerified && ticket.email !== null && ticket.email === profile.email,
  };
}
