-- AlterTable
ALTER TABLE "ledger_transactions" ADD COLUMN     "fx_pair" TEXT;
