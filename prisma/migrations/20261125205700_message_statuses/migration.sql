-- AlterEnum: on its own, because new enum values cannot be used in the transaction that adds them.
ALTER TYPE "MessageStatus" ADD VALUE 'SENDING';
ALTER TYPE "MessageStatus" ADD VALUE 'UNKNOWN';
