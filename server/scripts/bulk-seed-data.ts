/** What `npm run seed:bulk` writes, shared with the benches that run on its data. */

/** The password of every account it creates (bench and demo data only). */
export const BULK_SEED_PASSWORD = "bulk seed passphrase";

// What customers write and what businesses answer: a few hundred distinct texts from these parts.
export const INBOUND = [
  "Hi, where is my order",
  "Can I change the delivery address for order",
  "Is the shop open on Sunday? Asking about order",
  "Thanks, received it! Order",
  "The package arrived damaged, order",
  "Can I book an appointment for tomorrow morning? Ref",
  "Do you have this in a larger size? Item",
  "I was charged twice for order",
  "Please call me back about invoice",
  "How long does shipping to Chittagong take for order",
];
export const OUTBOUND = [
  "Your order has shipped and arrives in 2-3 days:",
  "Reminder: your appointment is tomorrow at 10:00, ref",
  "Thanks for your payment. Receipt for invoice",
  "We are sorry about the trouble; a replacement is on its way for order",
  "Your verification code is 48213. It expires in 10 minutes. Ref",
  "Good news: the item you asked about is back in stock,",
  "Your refund was issued and shows in 5 business days, order",
  "Our team will call you back within the hour about invoice",
];
