// Imports every module that registers jobs, so the worker knows them all.
import "./job-registry";
import "@/lib/compliance/jobs";
import "@/lib/fraud/jobs";
import "@/lib/payments/jobs";
import "@/lib/reconciliation/jobs";
import "@/lib/notifications/jobs";
import "@/lib/dashboard/jobs";
import "@/lib/checkout/jobs";
