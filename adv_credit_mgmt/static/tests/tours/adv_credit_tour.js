import { registry } from "@web/core/registry";

const confirmOrder = [
    {
        content: "Confirm the quotation",
        trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']:not(.d-none)",
        run: "click",
    },
    {
        content: "The ADV confirmation wizard lists the credit block",
        trigger: ".modal .o_field_widget[name='line_ids'] td:contains('credit limit')",
    },
];

registry.category("web_tour.tours").add("adv_credit_over_limit_refused", {
    steps: () => [
        ...confirmOrder,
        {
            content: "An ADV user cannot override it",
            trigger: ".modal .alert-danger:contains('Credit Manager')",
        },
        {
            content: "Close the wizard",
            trigger: ".modal .modal-footer button:contains('Cancel')",
            run: "click",
        },
        {
            content: "The order is still a quotation",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Quotation')",
        },
    ],
});

registry.category("web_tour.tours").add("adv_credit_manager_override", {
    steps: () => [
        ...confirmOrder,
        {
            content: "Give the reason",
            trigger: ".modal div[name='reason'] textarea, .modal div[name='reason'] input",
            run: "edit Bank guarantee received from the parent company",
        },
        {
            content: "Confirm over the limit",
            trigger: ".modal .modal-footer button[name='action_confirm']:not(.d-none)",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Sales Order')",
        },
    ],
});
