/**
 * Seed help-centre articles for the Parley demo site.
 *
 * The demo tenant is "Acme Cloud", a fictional hosted file-sync and backup
 * service. These articles exist so the widget's article search and the
 * inbox's suggested-answers panel have realistic content to work with.
 */

export interface SeedArticle {
  slug: string;
  /** Order within the category. */
  position: number;
  tags: string[];
  /** Slugs of the articles shown under "see also". */
  related: string[];
  title: string;
  category: "getting-started" | "account" | "billing" | "technical";
  body: string;
}

export const seedArticles: SeedArticle[] = [
  // ---------------------------------------------------------------------------
  // Getting started
  // ---------------------------------------------------------------------------
  {
    slug: "install-the-desktop-app",
    position: 1,
    tags: ["install", "desktop", "windows", "macos", "linux"],
    related: ["choose-folders-to-sync"],
    title: "Install the Acme Cloud desktop app",
    category: "getting-started",
    body: `The Acme Cloud desktop app keeps a folder on your computer in sync with your cloud storage. Anything you put in the Acme Cloud folder is uploaded automatically and appears on your other devices within seconds.

## Supported systems

- Windows 10 or later (64-bit)
- macOS 12 Monterey or later, on Intel or Apple silicon
- Ubuntu 22.04, Debian 12 and Fedora 39 or later

## Install and sign in

1. Go to **Settings > Downloads** in the web dashboard and pick the installer for your system.
2. Run the installer. On macOS, drag Acme Cloud into your Applications folder; on Linux, install the .deb or .rpm package.
3. Open the app and sign in with your email address and password. If you use two-factor authentication, enter the code from your authenticator app when asked.
4. Choose where the Acme Cloud folder should live, or keep the default location in your home folder.
5. Click **Start syncing**.

The first sync can take a while if you already have a lot of files in the cloud. You can keep working while it runs; the tray or menu bar icon shows progress and turns green when everything is up to date.

If the app cannot connect after installing, see our article on using Acme Cloud behind a proxy or firewall.`,
  },
  {
    slug: "choose-folders-to-sync",
    position: 2,
    tags: ["sync", "folders", "desktop"],
    related: ["fix-sync-conflicts", "install-the-desktop-app"],
    title: "Choose which folders sync to your computer",
    category: "getting-started",
    body: `By default the desktop app downloads everything in your Acme Cloud storage. On a laptop with a small disk you may prefer to sync only the folders you actually use. Selective sync lets you do that without deleting anything from the cloud.

## Turn on selective sync

1. Click the Acme Cloud icon in the tray or menu bar and open **Preferences**.
2. Go to the **Sync** tab and click **Choose folders**.
3. Untick the folders you do not need on this computer.
4. Click **Save**.

Unticked folders are removed from this computer only. They stay safe in the cloud, on the web dashboard and on any other device that still syncs them.

## Files on demand

If you would rather see every folder but only download files when you open them, switch on **Files on demand** in the same tab. Files show a cloud icon until you open them, and you can right-click a file and choose **Always keep on this device** for anything you need offline.

## Tips

- Selective sync settings are per device, so your desktop can keep everything while your laptop keeps a subset.
- Free disk space is checked before each download; if the disk is nearly full, syncing pauses and you will see a warning.
- Shared folders that others add you to can be unticked the same way.`,
  },
  {
    slug: "share-files-and-folders",
    position: 3,
    tags: ["sharing", "links", "permissions"],
    related: [],
    title: "Share files and folders with other people",
    category: "getting-started",
    body: `You can share anything in Acme Cloud, either with a link that anyone can open or by inviting specific people to collaborate on a folder.

## Create a share link

1. In the web dashboard or the desktop app, right-click a file or folder and choose **Share**.
2. Click **Create link**.
3. Optionally set an expiry date, a password, or turn off downloads so people can only preview.
4. Copy the link and send it however you like.

Anyone with the link can view the item without an Acme Cloud account. To stop sharing, open **Share** again and click **Delete link**.

## Invite people to a shared folder

1. Right-click a folder and choose **Share**.
2. Enter one or more email addresses.
3. Pick a permission: **Can view** or **Can edit**.
4. Click **Invite**.

People you invite get an email and the folder appears in their own Acme Cloud once they accept. Files in a shared folder count against the storage quota of the folder owner, not the people invited.

## Manage access

Open **Shared** in the left sidebar to see everything you have shared and everything shared with you. From there you can change permissions, remove people, or leave a folder someone else owns.`,
  },

  // ---------------------------------------------------------------------------
  // Account
  // ---------------------------------------------------------------------------
  {
    slug: "reset-your-password",
    position: 1,
    tags: ["password", "login", "security"],
    related: ["set-up-two-factor-authentication"],
    title: "Reset your password",
    category: "account",
    body: `If you have forgotten your password or think someone else may know it, you can reset it in a couple of minutes.

## Reset a forgotten password

1. Go to the Acme Cloud sign-in page and click **Forgot password?**
2. Enter the email address on your account and click **Send reset link**.
3. Open the email and click the link. It works once and expires after 60 minutes.
4. Choose a new password of at least 12 characters and click **Save**.

If the email does not arrive within a few minutes, check your spam or junk folder and make sure you typed the address you signed up with.

## Change your password while signed in

Go to **Settings > Security**, click **Change password**, enter your current password and then the new one.

## What happens next

- You are signed out of the web dashboard on every other browser.
- The desktop and mobile apps ask you to sign in again.
- API keys keep working, because they are separate from your password. Revoke them under **Settings > API keys** if you think they were exposed.

If you have two-factor authentication turned on you will still need your second factor after resetting. If you have lost your phone as well, see our article on two-factor authentication and recovery codes.`,
  },
  {
    slug: "set-up-two-factor-authentication",
    position: 2,
    tags: ["security", "2fa", "login"],
    related: ["reset-your-password"],
    title: "Set up two-factor authentication",
    category: "account",
    body: `Two-factor authentication (2FA) protects your account even if someone learns your password. After you turn it on, signing in needs your password plus a six-digit code from an authenticator app or a hardware security key.

## Turn on 2FA

1. Go to **Settings > Security** and click **Enable two-factor authentication**.
2. Scan the QR code with an authenticator app on your phone.
3. Enter the six-digit code the app shows and click **Verify**.
4. Download or print your ten recovery codes and keep them somewhere safe, away from your phone.

You can also register a hardware security key under **Security keys** as a second method.

## Lost your phone?

Sign in with your password, click **Use a recovery code** and enter one of your saved codes. Each code works once. Once you are in, disable 2FA and set it up again on your new phone, which also gives you a fresh set of recovery codes.

If you have lost both your phone and your recovery codes, contact support from the email address on the account. For your security we verify ownership before removing 2FA, and this can take up to two working days.

## Team accounts

Team admins can require 2FA for every member under **Team settings > Security**. Members without 2FA are asked to set it up the next time they sign in.`,
  },
  {
    slug: "export-data-and-delete-account",
    position: 3,
    tags: ["export", "privacy", "account"],
    related: [],
    title: "Export your data or delete your account",
    category: "account",
    body: `You own your files and can take them with you at any time. This article covers how to export data from Acme Cloud and how to permanently delete your account.

## Export your data

1. Go to **Settings > Privacy** and click **Export data**.
2. Choose what to include: files, version history, share links and account activity.
3. Click **Start export**.

We prepare a set of zip archives and email you a download link when they are ready. Large accounts can take several hours. Download links stay valid for seven days.

## Delete your account

Deleting your account is permanent. Before you start, export anything you want to keep and cancel any paid subscription.

1. Go to **Settings > Account** and click **Delete account**.
2. Enter your password and, if enabled, your two-factor authentication code.
3. Type DELETE to confirm.

## What happens after deletion

- You are signed out everywhere and your share links stop working.
- Your files are kept for 30 days in case you change your mind; contact support within that window to restore the account.
- After 30 days, files, backups and personal data are erased from our systems. Invoices are kept for as long as tax law requires.

If you are the owner of a team, transfer ownership to another admin first, or the whole team workspace is deleted too.`,
  },

  // ---------------------------------------------------------------------------
  // Billing
  // ---------------------------------------------------------------------------
  {
    slug: "upgrade-or-change-your-plan",
    position: 1,
    tags: ["plans", "pricing", "upgrade"],
    related: ["invoices-receipts-and-vat"],
    title: "Upgrade, downgrade or cancel your subscription",
    category: "billing",
    body: `You can change your Acme Cloud plan at any time from the web dashboard. Changes take effect straight away and are prorated, so you only pay for what you use.

## Upgrade your plan

1. Go to **Settings > Billing** and click **Change plan**.
2. Pick the plan with the storage quota and features you need.
3. Confirm the payment details and click **Upgrade**.

You are charged the prorated difference for the rest of the current billing period, and the extra storage is available immediately.

## Downgrade

Choose a smaller plan in the same place. The unused part of your current period is added to your account as credit and used against future invoices. If you are using more storage than the new plan allows, you must free up space first, because uploads stop when you are over your quota.

## Cancel subscription

1. Go to **Settings > Billing** and click **Cancel subscription**.
2. Tell us why you are leaving, if you like, and confirm.

Your paid features stay active until the end of the period you have already paid for. After that the account moves to the free plan. Nothing is deleted, but if your files exceed the free storage quota you can only view and download them until you upgrade again or remove some files.`,
  },
  {
    slug: "invoices-receipts-and-vat",
    position: 2,
    tags: ["invoices", "vat", "receipts"],
    related: ["refunds-and-failed-payments"],
    title: "Download invoices and add VAT details",
    category: "billing",
    body: `Every payment you make to Acme Cloud comes with an invoice. You can download past invoices at any time and add your company details so they are valid for your accounts department.

## Download an invoice

1. Go to **Settings > Billing > Invoices**.
2. Find the payment by date or invoice number.
3. Click **Download PDF**.

A copy of each invoice is also emailed to the billing contact on the account when the payment succeeds. To send invoices to a different address, such as your finance team, change **Billing email** on the same page.

## Add a company name and VAT number

1. Go to **Settings > Billing > Billing details**.
2. Enter your company name, address and VAT number.
3. Click **Save**.

We check the VAT number against the official register. If it is valid and you are a business in another EU country, future invoices apply the reverse charge and show no VAT. Customers without a valid VAT number are charged VAT at the rate of their country.

## Fixing an old invoice

Billing details are applied to new invoices only. If you need an earlier invoice reissued with your company name or VAT number, contact support with the invoice number and we will send a corrected copy.`,
  },
  {
    slug: "refunds-and-failed-payments",
    position: 3,
    tags: ["refunds", "payments", "cards"],
    related: ["invoices-receipts-and-vat"],
    title: "Refunds, failed payments and disputed charges",
    category: "billing",
    body: `This article explains our refund policy, what to do when a card payment fails, and how to handle a charge you do not recognise.

## Refund policy

- New annual plans can be refunded in full within 14 days of purchase.
- Monthly plans are not refunded for partial months, but you can cancel at any time to stop future charges.
- If you were charged twice or billed after cancelling, we always refund the mistaken payment.

To request a refund, contact support from the account email and include the invoice number. Refunds go back to the original payment method and usually appear within 5 to 10 working days.

## Failed payments

If a renewal payment fails we email you and retry three times over the next week. Update your card under **Settings > Billing > Payment method** and click **Retry now**. If all retries fail, the account moves to the free plan; no files are deleted.

## A charge you do not recognise

Please contact us before opening a chargeback with your bank. Most unexpected charges turn out to be a team member's subscription or a plan renewal, and we can refund a genuine error much faster than a bank dispute. While a chargeback is open the account is locked for uploads until the dispute is resolved.`,
  },

  // ---------------------------------------------------------------------------
  // Technical
  // ---------------------------------------------------------------------------
  {
    slug: "fix-sync-conflicts",
    position: 1,
    tags: ["sync", "conflicts", "errors"],
    related: ["choose-folders-to-sync", "restore-deleted-files-and-versions"],
    title: "Fix sync conflicts and files that won't sync",
    category: "technical",
    body: `A sync conflict happens when the same file is changed in two places before either change has finished syncing, for example when you edit a document offline on your laptop while a colleague edits it online. Acme Cloud never throws either version away.

## How conflicts look

The version that reached the cloud first keeps the original name. The other is saved next to it with a name like *Report (conflicted copy, Sam's laptop, 2024-05-02).docx*. Open both, merge the changes you want into one file, then delete the conflicted copy.

## Avoiding conflicts

- Let the desktop app finish syncing before you close your laptop.
- For shared documents, agree who is editing, or use the web editor, which handles simultaneous edits.
- Do not put the Acme Cloud folder inside another sync tool's folder.

## Files that will not sync

If the tray icon shows a warning, click it to see which files are stuck. Common causes:

- **File names** containing characters another system does not allow, such as a colon or a trailing space. Rename the file.
- **Paths** longer than 260 characters on Windows. Move the file to a shorter folder.
- **Open files** locked by another program. Close the program and syncing resumes.
- **Storage quota** reached. Free up space or upgrade your plan.`,
  },
  {
    slug: "restore-deleted-files-and-versions",
    position: 2,
    tags: ["restore", "versions", "trash"],
    related: ["fix-sync-conflicts"],
    title: "Restore deleted files and earlier versions",
    category: "technical",
    body: `Deleted something by mistake, or saved over a file you needed? Acme Cloud keeps deleted files and previous versions so you can get them back.

## Restore deleted files

1. Sign in to the web dashboard and open **Deleted files** in the left sidebar.
2. Find the file or folder. You can search by name or filter by date.
3. Select it and click **Restore**.

The item returns to its original folder and syncs back to your devices. Deleted files are kept for 30 days on the free plan and 180 days on paid plans. Files in the deleted area do not count against your storage quota.

## Restore an earlier version

1. Right-click the file in the web dashboard or the desktop app and choose **Version history**.
2. Preview the versions listed by date and time.
3. Click **Restore** next to the one you want.

Restoring a version does not remove the newer ones, so you can always change your mind.

## Recover from ransomware or a bad sync

If many files were changed or deleted at once, use **Settings > Backups > Rewind** to roll a whole folder back to a chosen date and time. Rewind is available on paid plans and can itself be undone.`,
  },
  {
    slug: "proxy-firewall-and-api-access",
    position: 3,
    tags: ["network", "proxy", "api"],
    related: [],
    title: "Use Acme Cloud behind a proxy or firewall, and with the API",
    category: "technical",
    body: `Corporate networks often block unknown connections. If the desktop app stays on "Connecting..." or uploads never start, your network may need a small change.

## Proxy settings

The desktop app uses your system proxy by default. To set one manually, open **Preferences > Network**, choose **Manual proxy**, and enter the host, port and, if required, a username and password. HTTP and SOCKS5 proxies are supported.

## Firewall rules

Ask your IT team to allow outbound HTTPS (TCP port 443) to these hosts:

- app.acmecloud.example
- sync.acmecloud.example
- uploads.acmecloud.example

Inspection tools that replace our TLS certificate will break syncing; add the hosts above to the firewall's bypass list.

## API keys

To automate backups or connect other tools, create an API key under **Settings > API keys**. Give it a name, pick the scopes it needs (for example read-only), and copy it straight away, because it is shown only once. Revoke keys you no longer use.

## Webhooks

Webhooks notify your server when files change. Add an endpoint URL under **Settings > Webhooks** and choose events such as file.created or file.deleted. Every request is signed with your webhook secret so you can verify it came from us. Failed deliveries are retried for up to 24 hours.`,
  },
];
