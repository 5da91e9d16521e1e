from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.type import money_pb2 as _money_pb2
from orderservice.v1 import order_service_pb2 as _order_service_pb2
from orderservice.v1 import types_pb2 as _types_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AdjustmentFeedLine(_message.Message):
    __slots__ = ["items", "order_id", "reason"]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[_types_pb2.ItemRefund]
    order_id: str
    reason: _types_pb2.AdjustmentReason
    def __init__(self, order_id: _Optional[str] = ..., reason: _Optional[_Union[_types_pb2.AdjustmentReason, str]] = ..., items: _Optional[_Iterable[_Union[_types_pb2.ItemRefund, _Mapping]]] = ...) -> None: ...

class CancelItemsRequest(_message.Message):
    __slots__ = ["items", "order_id", "reason", "request_id", "requester"]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[ItemCancellation]
    order_id: str
    reason: _types_pb2.CancelReason
    request_id: str
    requester: _types_pb2.CancellationRequester
    def __init__(self, request_id: _Optional[str] = ..., order_id: _Optional[str] = ..., items: _Optional[_Iterable[_Union[ItemCancellation, _Mapping]]] = ..., reason: _Optional[_Union[_types_pb2.CancelReason, str]] = ..., requester: _Optional[_Union[_types_pb2.CancellationRequester, str]] = ...) -> None: ...

class CancelItemsResponse(_message.Message):
    __slots__ = ["order", "refund"]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    REFUND_FIELD_NUMBER: _ClassVar[int]
    order: _types_pb2.Order
    refund: _types_pb2.Refund
    def __init__(self, order: _Optional[_Union[_types_pb2.Order, _Mapping]] = ..., refund: _Optional[_Union[_types_pb2.Refund, _Mapping]] = ...) -> None: ...

class ComponentRefundable(_message.Message):
    __slots__ = ["cancelable", "charged", "component", "refundable", "refunded"]
    CANCELABLE_FIELD_NUMBER: _ClassVar[int]
    CHARGED_FIELD_NUMBER: _ClassVar[int]
    COMPONENT_FIELD_NUMBER: _ClassVar[int]
    REFUNDABLE_FIELD_NUMBER: _ClassVar[int]
    REFUNDED_FIELD_NUMBER: _ClassVar[int]
    cancelable: _money_pb2.Money
    charged: _money_pb2.Money
    component: _types_pb2.ChargeComponent
    refundable: _money_pb2.Money
    refunded: _money_pb2.Money
    def __init__(self, component: _Optional[_Union[_types_pb2.ChargeComponent, str]] = ..., charged: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., refunded: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., refundable: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., cancelable: _Optional[_Union[_money_pb2.Money, _Mapping]] = ...) -> None: ...

class GetRefundableAmountsRequest(_message.Message):
    __slots__ = ["order_id"]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    def __init__(self, order_id: _Optional[str] = ...) -> None: ...

class GetRefundableAmountsResponse(_message.Message):
    __slots__ = ["currency_code", "items"]
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    currency_code: str
    items: _containers.RepeatedCompositeFieldContainer[ItemRefundable]
    def __init__(self, currency_code: _Optional[str] = ..., items: _Optional[_Iterable[_Union[ItemRefundable, _Mapping]]] = ...) -> None: ...

class ItemCancellation(_message.Message):
    __slots__ = ["order_item_id", "quantity"]
    ORDER_ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    order_item_id: str
    quantity: int
    def __init__(self, order_item_id: _Optional[str] = ..., quantity: _Optional[int] = ...) -> None: ...

class ItemRefundable(_message.Message):
    __slots__ = ["components", "order_item_id", "quantity_returned", "quantity_shipped", "quantity_unshipped"]
    COMPONENTS_FIELD_NUMBER: _ClassVar[int]
    ORDER_ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_RETURNED_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_SHIPPED_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_UNSHIPPED_FIELD_NUMBER: _ClassVar[int]
    components: _containers.RepeatedCompositeFieldContainer[ComponentRefundable]
    order_item_id: str
    quantity_returned: int
    quantity_shipped: int
    quantity_unshipped: int
    def __init__(self, order_item_id: _Optional[str] = ..., quantity_shipped: _Optional[int] = ..., quantity_unshipped: _Optional[int] = ..., quantity_returned: _Optional[int] = ..., components: _Optional[_Iterable[_Union[ComponentRefundable, _Mapping]]] = ...) -> None: ...

class ListRefundsRequest(_message.Message):
    __slots__ = ["order_id", "page_size", "page_token"]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., order_id: _Optional[str] = ...) -> None: ...

class ListRefundsResponse(_message.Message):
    __slots__ = ["next_page_token", "refunds"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    REFUNDS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    refunds: _containers.RepeatedCompositeFieldContainer[_types_pb2.Refund]
    def __init__(self, refunds: _Optional[_Iterable[_Union[_types_pb2.Refund, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RecordReturnRequest(_message.Message):
    __slots__ = ["deductions", "lines", "order_id", "request_id"]
    DEDUCTIONS_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    deductions: _containers.RepeatedCompositeFieldContainer[_types_pb2.ChargeAmount]
    lines: _containers.RepeatedCompositeFieldContainer[ReturnLine]
    order_id: str
    request_id: str
    def __init__(self, request_id: _Optional[str] = ..., order_id: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[ReturnLine, _Mapping]]] = ..., deductions: _Optional[_Iterable[_Union[_types_pb2.ChargeAmount, _Mapping]]] = ...) -> None: ...

class RecordReturnResponse(_message.Message):
    __slots__ = ["refund"]
    REFUND_FIELD_NUMBER: _ClassVar[int]
    refund: _types_pb2.Refund
    def __init__(self, refund: _Optional[_Union[_types_pb2.Refund, _Mapping]] = ...) -> None: ...

class RefundOrderRequest(_message.Message):
    __slots__ = ["items", "order_id", "reason", "request_id", "validate_only"]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    VALIDATE_ONLY_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[_types_pb2.ItemRefund]
    order_id: str
    reason: _types_pb2.AdjustmentReason
    request_id: str
    validate_only: bool
    def __init__(self, request_id: _Optional[str] = ..., order_id: _Optional[str] = ..., reason: _Optional[_Union[_types_pb2.AdjustmentReason, str]] = ..., items: _Optional[_Iterable[_Union[_types_pb2.ItemRefund, _Mapping]]] = ..., validate_only: bool = ...) -> None: ...

class RefundOrderResponse(_message.Message):
    __slots__ = ["refund"]
    REFUND_FIELD_NUMBER: _ClassVar[int]
    refund: _types_pb2.Refund
    def __init__(self, refund: _Optional[_Union[_types_pb2.Refund, _Mapping]] = ...) -> None: ...

class ReturnLine(_message.Message):
    __slots__ = ["order_item_id", "quantity_received"]
    ORDER_ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_RECEIVED_FIELD_NUMBER: _ClassVar[int]
    order_item_id: str
    quantity_received: int
    def __init__(self, order_item_id: _Optional[str] = ..., quantity_received: _Optional[int] = ...) -> None: ...

class SubmitAdjustmentFeedRequest(_message.Message):
    __slots__ = ["lines", "request_id", "validate_only"]
    LINES_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    VALIDATE_ONLY_FIELD_NUMBER: _ClassVar[int]
    lines: _containers.RepeatedCompositeFieldContainer[AdjustmentFeedLine]
    request_id: str
    validate_only: bool
    def __init__(self, request_id: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[AdjustmentFeedLine, _Mapping]]] = ..., validate_only: bool = ...) -> None: ...

class SubmitAdjustmentFeedResponse(_message.Message):
    __slots__ = ["results", "summary"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[_order_service_pb2.FeedLineResult]
    summary: _order_service_pb2.FeedSummary
    def __init__(self, summary: _Optional[_Union[_order_service_pb2.FeedSummary, _Mapping]] = ..., results: _Optional[_Iterable[_Union[_order_service_pb2.FeedLineResult, _Mapping]]] = ...) -> None: ...
