import { registry } from "@web/core/registry";
import { openAdvOverview, openCard } from "@adv_order_control/../tests/tours/adv_tour_utils";

const row = (amount) => `.o_list_view .o_data_row:contains('Tour Late Payer'):contains('${amount}')`;

registry.category("web_tour.tours").add("adv_collection_queue_tour", {
    steps: () => [
        ...openAdvOverview(),
        ...openCard("Reminders due today"),
        {
            content: "The queue shows the next level of the late invoice: send it",
            trigger: `${row("111.00")}:contains('Queue call') button[name='action_send']`,
            run: "click",
        },
        {
            content: "Sent: the invoice leaves today's queue",
            trigger: `.o_list_view:not(:has(${row("111.00")}))`,
        },
        {
            content: "Skip the reminder of the other invoice",
            trigger: `${row("222.00")} button[name='action_skip']`,
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal div[name='reason'] textarea",
            run: "edit Customer paid by cheque yesterday",
        },
        {
            content: "Skip",
            trigger: ".modal .modal-footer button[name='action_skip']",
            run: "click",
        },
        {
            content: "Skipped: the invoice leaves today's queue",
            trigger: `body:not(:has(.modal)) .o_list_view:not(:has(${row("222.00")}))`,
        },
    ],
});
