from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.type import money_pb2 as _money_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

ADJUSTMENT_REASON_ABANDONED: AdjustmentReason
ADJUSTMENT_REASON_CARRIER_COVERAGE_FAILURE: AdjustmentReason
ADJUSTMENT_REASON_CARRIER_CREDIT_DECISION: AdjustmentReason
ADJUSTMENT_REASON_COULD_NOT_SHIP: AdjustmentReason
ADJUSTMENT_REASON_CUSTOMER_ADDRESS_INCORRECT: AdjustmentReason
ADJUSTMENT_REASON_CUSTOMER_CANCEL: AdjustmentReason
ADJUSTMENT_REASON_CUSTOMER_RETURN: AdjustmentReason
ADJUSTMENT_REASON_DIFFERENT_ITEM: AdjustmentReason
ADJUSTMENT_REASON_EXCHANGE: AdjustmentReason
ADJUSTMENT_REASON_GENERAL_ADJUSTMENT: AdjustmentReason
ADJUSTMENT_REASON_NO_INVENTORY: AdjustmentReason
ADJUSTMENT_REASON_OTHER: AdjustmentReason
ADJUSTMENT_REASON_PRICE_ERROR: AdjustmentReason
ADJUSTMENT_REASON_PRODUCT_OUT_OF_STOCK: AdjustmentReason
ADJUSTMENT_REASON_REFUSED_DELIVERY: AdjustmentReason
ADJUSTMENT_REASON_RISK_ASSESSMENT_INFORMATION_NOT_VALID: AdjustmentReason
ADJUSTMENT_REASON_TRANSACTION_RECORD: AdjustmentReason
ADJUSTMENT_REASON_UNDELIVERABLE: AdjustmentReason
ADJUSTMENT_REASON_UNSPECIFIED: AdjustmentReason
CANCELLATION_EXECUTOR_AUTOMATIC: CancellationExecutor
CANCELLATION_EXECUTOR_MARKETPLACE: CancellationExecutor
CANCELLATION_EXECUTOR_SELLER: CancellationExecutor
CANCELLATION_EXECUTOR_UNSPECIFIED: CancellationExecutor
CANCELLATION_REQUESTER_BUYER_MESSAGE: CancellationRequester
CANCELLATION_REQUESTER_BUYER_OFFICIAL: CancellationRequester
CANCELLATION_REQUESTER_MARKETPLACE: CancellationRequester
CANCELLATION_REQUESTER_SELLER: CancellationRequester
CANCELLATION_REQUESTER_UNSPECIFIED: CancellationRequester
CANCEL_REASON_BUYER_CANCELED: CancelReason
CANCEL_REASON_CARRIER_COVERAGE_FAILURE: CancelReason
CANCEL_REASON_CARRIER_CREDIT_DECISION: CancelReason
CANCEL_REASON_CUSTOMER_EXCHANGE: CancelReason
CANCEL_REASON_CUSTOMER_RETURN: CancelReason
CANCEL_REASON_GENERAL_ADJUSTMENT: CancelReason
CANCEL_REASON_MERCHANDISE_NOT_RECEIVED: CancelReason
CANCEL_REASON_NO_INVENTORY: CancelReason
CANCEL_REASON_PAYMENT_NOT_AUTHORIZED: CancelReason
CANCEL_REASON_PRICING_ERROR: CancelReason
CANCEL_REASON_RISK_ASSESSMENT_INFORMATION_NOT_VALID: CancelReason
CANCEL_REASON_SHIPPING_ADDRESS_UNDELIVERABLE: CancelReason
CANCEL_REASON_SHIP_DATE_MISSED: CancelReason
CANCEL_REASON_UNSPECIFIED: CancelReason
CHARGE_COMPONENT_GIFT_WRAP: ChargeComponent
CHARGE_COMPONENT_GIFT_WRAP_TAX: ChargeComponent
CHARGE_COMPONENT_PRINCIPAL: ChargeComponent
CHARGE_COMPONENT_RESTOCKING_FEE: ChargeComponent
CHARGE_COMPONENT_RETURN_SHIPPING: ChargeComponent
CHARGE_COMPONENT_SHIPPING: ChargeComponent
CHARGE_COMPONENT_SHIPPING_TAX: ChargeComponent
CHARGE_COMPONENT_TAX: ChargeComponent
CHARGE_COMPONENT_UNSPECIFIED: ChargeComponent
DESCRIPTOR: _descriptor.FileDescriptor
ORDER_STATUS_CANCELED: OrderStatus
ORDER_STATUS_PARTIALLY_SHIPPED: OrderStatus
ORDER_STATUS_PENDING: OrderStatus
ORDER_STATUS_SHIPPED: OrderStatus
ORDER_STATUS_UNSHIPPED: OrderStatus
ORDER_STATUS_UNSPECIFIED: OrderStatus

class BuyerCancellationRequest(_message.Message):
    __slots__ = ["reason", "request_time"]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_TIME_FIELD_NUMBER: _ClassVar[int]
    reason: str
    request_time: _timestamp_pb2.Timestamp
    def __init__(self, reason: _Optional[str] = ..., request_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class BuyerContact(_message.Message):
    __slots__ = ["email", "name", "phone_number"]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    email: str
    name: str
    phone_number: str
    def __init__(self, name: _Optional[str] = ..., email: _Optional[str] = ..., phone_number: _Optional[str] = ...) -> None: ...

class CanceledUnits(_message.Message):
    __slots__ = ["order_item_id", "quantity"]
    ORDER_ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    order_item_id: str
    quantity: int
    def __init__(self, order_item_id: _Optional[str] = ..., quantity: _Optional[int] = ...) -> None: ...

class Cancellation(_message.Message):
    __slots__ = ["cancel_time", "counts_against_seller_rate", "executor", "note", "reason", "requester", "units", "whole_order"]
    CANCEL_TIME_FIELD_NUMBER: _ClassVar[int]
    COUNTS_AGAINST_SELLER_RATE_FIELD_NUMBER: _ClassVar[int]
    EXECUTOR_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_FIELD_NUMBER: _ClassVar[int]
    UNITS_FIELD_NUMBER: _ClassVar[int]
    WHOLE_ORDER_FIELD_NUMBER: _ClassVar[int]
    cancel_time: _timestamp_pb2.Timestamp
    counts_against_seller_rate: bool
    executor: CancellationExecutor
    note: str
    reason: CancelReason
    requester: CancellationRequester
    units: _containers.RepeatedCompositeFieldContainer[CanceledUnits]
    whole_order: bool
    def __init__(self, reason: _Optional[_Union[CancelReason, str]] = ..., requester: _Optional[_Union[CancellationRequester, str]] = ..., executor: _Optional[_Union[CancellationExecutor, str]] = ..., counts_against_seller_rate: bool = ..., cancel_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., note: _Optional[str] = ..., whole_order: bool = ..., units: _Optional[_Iterable[_Union[CanceledUnits, _Mapping]]] = ...) -> None: ...

class ChargeAmount(_message.Message):
    __slots__ = ["amount", "component"]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    COMPONENT_FIELD_NUMBER: _ClassVar[int]
    amount: _money_pb2.Money
    component: ChargeComponent
    def __init__(self, component: _Optional[_Union[ChargeComponent, str]] = ..., amount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ...) -> None: ...

class ItemRefund(_message.Message):
    __slots__ = ["amounts", "deductions", "order_item_id"]
    AMOUNTS_FIELD_NUMBER: _ClassVar[int]
    DEDUCTIONS_FIELD_NUMBER: _ClassVar[int]
    ORDER_ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    amounts: _containers.RepeatedCompositeFieldContainer[ChargeAmount]
    deductions: _containers.RepeatedCompositeFieldContainer[ChargeAmount]
    order_item_id: str
    def __init__(self, order_item_id: _Optional[str] = ..., amounts: _Optional[_Iterable[_Union[ChargeAmount, _Mapping]]] = ..., deductions: _Optional[_Iterable[_Union[ChargeAmount, _Mapping]]] = ...) -> None: ...

class Order(_message.Message):
    __slots__ = ["auto_cancel_time", "buyer_cancellation_request", "buyer_contact", "buyer_id", "cancellation", "cancellations", "create_time", "currency_code", "etag", "items", "latest_ship_time", "order_id", "payment_authorize_time", "purchase_time", "seller_id", "shipments", "shipping_address", "status", "update_time"]
    AUTO_CANCEL_TIME_FIELD_NUMBER: _ClassVar[int]
    BUYER_CANCELLATION_REQUEST_FIELD_NUMBER: _ClassVar[int]
    BUYER_CONTACT_FIELD_NUMBER: _ClassVar[int]
    BUYER_ID_FIELD_NUMBER: _ClassVar[int]
    CANCELLATIONS_FIELD_NUMBER: _ClassVar[int]
    CANCELLATION_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    LATEST_SHIP_TIME_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_AUTHORIZE_TIME_FIELD_NUMBER: _ClassVar[int]
    PURCHASE_TIME_FIELD_NUMBER: _ClassVar[int]
    SELLER_ID_FIELD_NUMBER: _ClassVar[int]
    SHIPMENTS_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    auto_cancel_time: _timestamp_pb2.Timestamp
    buyer_cancellation_request: BuyerCancellationRequest
    buyer_contact: BuyerContact
    buyer_id: str
    cancellation: Cancellation
    cancellations: _containers.RepeatedCompositeFieldContainer[Cancellation]
    create_time: _timestamp_pb2.Timestamp
    currency_code: str
    etag: str
    items: _containers.RepeatedCompositeFieldContainer[OrderItem]
    latest_ship_time: _timestamp_pb2.Timestamp
    order_id: str
    payment_authorize_time: _timestamp_pb2.Timestamp
    purchase_time: _timestamp_pb2.Timestamp
    seller_id: str
    shipments: _containers.RepeatedCompositeFieldContainer[Shipment]
    shipping_address: ShippingAddress
    status: OrderStatus
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, order_id: _Optional[str] = ..., seller_id: _Optional[str] = ..., buyer_id: _Optional[str] = ..., status: _Optional[_Union[OrderStatus, str]] = ..., currency_code: _Optional[str] = ..., purchase_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., latest_ship_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., payment_authorize_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., items: _Optional[_Iterable[_Union[OrderItem, _Mapping]]] = ..., shipping_address: _Optional[_Union[ShippingAddress, _Mapping]] = ..., buyer_contact: _Optional[_Union[BuyerContact, _Mapping]] = ..., shipments: _Optional[_Iterable[_Union[Shipment, _Mapping]]] = ..., buyer_cancellation_request: _Optional[_Union[BuyerCancellationRequest, _Mapping]] = ..., cancellation: _Optional[_Union[Cancellation, _Mapping]] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., etag: _Optional[str] = ..., auto_cancel_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., cancellations: _Optional[_Iterable[_Union[Cancellation, _Mapping]]] = ...) -> None: ...

class OrderItem(_message.Message):
    __slots__ = ["order_item_id", "quantity_canceled", "quantity_ordered", "quantity_shipped", "quantity_unshipped", "sku", "title", "unit_charges"]
    ORDER_ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_CANCELED_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_ORDERED_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_SHIPPED_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_UNSHIPPED_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    UNIT_CHARGES_FIELD_NUMBER: _ClassVar[int]
    order_item_id: str
    quantity_canceled: int
    quantity_ordered: int
    quantity_shipped: int
    quantity_unshipped: int
    sku: str
    title: str
    unit_charges: _containers.RepeatedCompositeFieldContainer[ChargeAmount]
    def __init__(self, order_item_id: _Optional[str] = ..., sku: _Optional[str] = ..., title: _Optional[str] = ..., quantity_ordered: _Optional[int] = ..., quantity_shipped: _Optional[int] = ..., quantity_canceled: _Optional[int] = ..., quantity_unshipped: _Optional[int] = ..., unit_charges: _Optional[_Iterable[_Union[ChargeAmount, _Mapping]]] = ...) -> None: ...

class Refund(_message.Message):
    __slots__ = ["create_time", "items", "order_id", "reason", "refund_id", "total"]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REFUND_ID_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    create_time: _timestamp_pb2.Timestamp
    items: _containers.RepeatedCompositeFieldContainer[ItemRefund]
    order_id: str
    reason: AdjustmentReason
    refund_id: str
    total: _money_pb2.Money
    def __init__(self, refund_id: _Optional[str] = ..., order_id: _Optional[str] = ..., reason: _Optional[_Union[AdjustmentReason, str]] = ..., items: _Optional[_Iterable[_Union[ItemRefund, _Mapping]]] = ..., total: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Shipment(_message.Message):
    __slots__ = ["carrier", "lines", "ship_time", "shipment_id", "tracking_number"]
    CARRIER_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    SHIPMENT_ID_FIELD_NUMBER: _ClassVar[int]
    SHIP_TIME_FIELD_NUMBER: _ClassVar[int]
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    carrier: str
    lines: _containers.RepeatedCompositeFieldContainer[ShipmentLine]
    ship_time: _timestamp_pb2.Timestamp
    shipment_id: str
    tracking_number: str
    def __init__(self, shipment_id: _Optional[str] = ..., carrier: _Optional[str] = ..., tracking_number: _Optional[str] = ..., ship_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., lines: _Optional[_Iterable[_Union[ShipmentLine, _Mapping]]] = ...) -> None: ...

class ShipmentLine(_message.Message):
    __slots__ = ["order_item_id", "quantity"]
    ORDER_ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    order_item_id: str
    quantity: int
    def __init__(self, order_item_id: _Optional[str] = ..., quantity: _Optional[int] = ...) -> None: ...

class ShippingAddress(_message.Message):
    __slots__ = ["address_lines", "administrative_area", "locality", "phone_number", "postal_code", "recipient_name", "region_code"]
    ADDRESS_LINES_FIELD_NUMBER: _ClassVar[int]
    ADMINISTRATIVE_AREA_FIELD_NUMBER: _ClassVar[int]
    LOCALITY_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    POSTAL_CODE_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    address_lines: _containers.RepeatedScalarFieldContainer[str]
    administrative_area: str
    locality: str
    phone_number: str
    postal_code: str
    recipient_name: str
    region_code: str
    def __init__(self, recipient_name: _Optional[str] = ..., address_lines: _Optional[_Iterable[str]] = ..., locality: _Optional[str] = ..., administrative_area: _Optional[str] = ..., postal_code: _Optional[str] = ..., region_code: _Optional[str] = ..., phone_number: _Optional[str] = ...) -> None: ...

class OrderStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ChargeComponent(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class CancelReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class AdjustmentReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class CancellationRequester(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class CancellationExecutor(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
