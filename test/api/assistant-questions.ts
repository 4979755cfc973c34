/**
 * Questions visitors ask, in their own words (none repeats an article title), each with the
 * seeded article it must cite; and questions no article answers, which must hand off.
 */
export const ANSWERABLE: { question: string; slug: string }[] = [
  { question: "Sync stopped / It shows error 42", slug: "fix-sync-conflicts" },
  { question: "Where do I get the app for my Windows laptop?", slug: "install-the-desktop-app" },
  { question: "Does it run on Ubuntu or a Mac with an M1 chip?", slug: "install-the-desktop-app" },
  { question: "My laptop disk is almost full, can I keep only some directories locally?", slug: "choose-folders-to-sync" },
  { question: "How do I stop a folder from downloading to this machine?", slug: "choose-folders-to-sync" },
  { question: "Can I see files without downloading them until I open one?", slug: "choose-folders-to-sync" },
  { question: "How can I send a colleague a link to a document?", slug: "share-files-and-folders" },
  { question: "Can someone without an account open what I send them?", slug: "share-files-and-folders" },
  { question: "I want to give my team edit permission on a folder", slug: "share-files-and-folders" },
  { question: "I forgot my login and can't get in", slug: "reset-your-password" },
  { question: "The recovery email never came to my inbox", slug: "reset-your-password" },
  { question: "How do I turn on the six-digit codes from an authenticator?", slug: "set-up-two-factor-authentication" },
  { question: "I lost my phone and can't pass the second step at sign in", slug: "set-up-two-factor-authentication" },
  { question: "Can an admin force every member to use 2FA?", slug: "set-up-two-factor-authentication" },
  { question: "I'd like to close my account permanently", slug: "export-data-and-delete-account" },
  { question: "How do I take a copy of all my data with me?", slug: "export-data-and-delete-account" },
  { question: "I need more storage, how do I move to a bigger tier?", slug: "upgrade-or-change-your-plan" },
  { question: "What happens to my paid features if I stop paying?", slug: "upgrade-or-change-your-plan" },
  { question: "Can I switch to a smaller plan and get credit?", slug: "upgrade-or-change-your-plan" },
  { question: "Our finance team needs a PDF of last month's bill", slug: "invoices-receipts-and-vat" },
  { question: "How do I put our company tax number on the receipts?", slug: "invoices-receipts-and-vat" },
  { question: "I was charged twice, can I get my money back?", slug: "refunds-and-failed-payments" },
  { question: "My card was declined at renewal", slug: "refunds-and-failed-payments" },
  { question: "There's a charge on my statement I don't recognise", slug: "refunds-and-failed-payments" },
  { question: "Two versions of my spreadsheet appeared with 'conflicted copy' in the name", slug: "fix-sync-conflicts" },
  { question: "A file with a colon in its name is stuck and never uploads", slug: "fix-sync-conflicts" },
  { question: "I accidentally removed a folder, can I bring it back?", slug: "restore-deleted-files-and-versions" },
  { question: "I saved over my document, how do I get yesterday's copy?", slug: "restore-deleted-files-and-versions" },
  { question: "Ransomware encrypted everything, can I roll back the whole folder?", slug: "restore-deleted-files-and-versions" },
  { question: "The app says Connecting... forever on our office network", slug: "proxy-firewall-and-api-access" },
  { question: "Which ports and hosts should IT allow through?", slug: "proxy-firewall-and-api-access" },
  { question: "How do I create a key to automate backups with a script?", slug: "proxy-firewall-and-api-access" },
  { question: "Can my server be notified when a file is created?", slug: "proxy-firewall-and-api-access" },
];

export const UNRELATED: string[] = [
  "What's the weather going to be like in Lisbon tomorrow?",
  "Give me a recipe for banana bread",
  "Who won the football match last night?",
  "How tall is the Eiffel tower?",
  "Translate good morning into Japanese",
  "Recommend a good science fiction novel",
  "What is the capital of Australia?",
];
