// Imports every module that registers demo seeders (ledger accounts, payments), so npm start seeds them all.
import "@/lib/tenancy/seed-demo";
import "@/lib/customers/seed-demo-customers";
import "@/lib/ledger/seed-demo-accounts";
