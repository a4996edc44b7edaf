import { registry } from "@web/core/registry";
import { openAdvOverview } from "@adv_order_control/../tests/tours/adv_tour_utils";

// A status message as the platform sends it: the buyer approved (205) invoice ADVE/2026/00001.
const CDAR_APPROVED = `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossDomainAcknowledgementAndResponse
    xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
    <rsm:ExchangedDocument>
        <ram:ID>CDV-TOUR-0001</ram:ID>
        <ram:IssueDateTime><udt:DateTimeString format="204">20260905143000</udt:DateTimeString></ram:IssueDateTime>
    </rsm:ExchangedDocument>
    <rsm:AcknowledgementDocument>
        <ram:TypeCode>305</ram:TypeCode>
        <ram:ReferenceReferencedDocument>
            <ram:IssuerAssignedID>ADVE/2026/00001</ram:IssuerAssignedID>
            <ram:ProcessConditionCode>205</ram:ProcessConditionCode>
        </ram:ReferenceReferencedDocument>
    </rsm:AcknowledgementDocument>
</rsm:CrossDomainAcknowledgementAndResponse>`;

function openMenu(section, item) {
    return [
        {
            content: `Open the ${section} menu`,
            trigger: `.o_main_navbar .dropdown-toggle:contains('${section}')`,
            run: "click",
        },
        {
            content: `Open ${item}`,
            trigger: `.dropdown-menu .dropdown-item:contains('${item}')`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("adv_einvoice_import_tour", {
    steps: () => [
        ...openAdvOverview(),
        ...openMenu("E-Invoicing", "Import Status Files"),
        {
            content: "Drop the platform's status file in the wizard",
            trigger: ".modal .o_field_many2many_binary input[type='file']:not(:visible)",
            run() {
                const file = new File([CDAR_APPROVED], "cdar_205_tour.xml", { type: "text/xml" });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is uploaded",
            trigger: ".modal .o_field_many2many_binary .o_attachment:contains('cdar_205_tour.xml')",
        },
        {
            content: "Import",
            trigger: ".modal .modal-footer button[name='action_import']",
            run: "click",
        },
        {
            content: "The import log shows the status recorded on the invoice",
            trigger:
                "body:not(:has(.modal)) .o_list_view .o_data_row:contains('CDV-TOUR-0001'):contains('ADVE/2026/00001'):contains('Imported')",
        },
        ...openMenu("E-Invoicing", "Invoice Lifecycle"),
        {
            content: "The invoice is in the Approved column of the kanban",
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('Approved')) .o_kanban_record:contains('ADVE/2026/00001')",
        },
        {
            content: "The empty rare statuses are folded, the usual ones open",
            trigger: ".o_kanban_group.o_column_folded:contains('Suspended')",
            run() {
                const open = [...document.querySelectorAll(".o_kanban_group:not(.o_column_folded) .o_column_title")];
                if (!open.some((title) => title.textContent.includes("Deposited"))) {
                    throw new Error("The usual column Deposited should stay open even when empty");
                }
            },
        },
    ],
});
