"""What scanning one 2,000-character text costs the fraud scanner (``make bench`` prints it).

Three ordinary channel posts (a bakery's weekend menu in English, Korean and Vietnamese) and one
post stuffed with solicitations in all three languages, each repeated to 2,000 characters,
scanned with the shipped rules. Reports the median of several runs, in milliseconds per text,
and the CPU time beside the wall time: on a busy machine the wall clock also counts waiting.
"""

from __future__ import annotations

import statistics
import time

POSTS = {
    "post_en": (
        "Weekend menu at Blue Door Bakery. Sourdough loaves come out of the oven at 8:00 and 11:00; "
        "croissants, pain au chocolat and cinnamon rolls until they run out. This week we have a new "
        "pumpkin tart and a lemon cake with poppy seeds. Custom cakes need two days' notice and a 30% "
        "deposit. Delivery within 3 km is free for orders over 30,000 won; otherwise 3,000 won. "
        "We are closed on Mondays. Questions about allergies? Ask us here in the chat or call 02-123-4567. "
    ),
    "post_ko": (
        "블루도어 베이커리 주말 메뉴 안내입니다. 사워도우는 오전 8시와 11시에 나오고, 크루아상과 뺑오쇼콜라, "
        "시나몬롤은 소진 시까지 판매합니다. 이번 주 신메뉴는 단호박 타르트와 양귀비씨 레몬 케이크예요. "
        "주문 케이크는 이틀 전 예약과 예약금 30%가 필요합니다. 3km 이내 3만원 이상 주문 시 배달비 무료, "
        "그 외 3천원입니다. 매주 월요일은 휴무입니다. 알레르기 문의는 채팅으로 남겨 주시거나 02-123-4567로 전화 주세요. "
    ),
    "post_vi": (
        "Thực đơn cuối tuần của tiệm bánh Blue Door. Bánh mì sourdough ra lò lúc 8:00 và 11:00; bánh sừng bò, "
        "bánh sô-cô-la và bánh quế bán đến khi hết. Tuần này có bánh tart bí đỏ và bánh chanh hạt anh túc mới. "
        "Bánh kem đặt riêng cần báo trước hai ngày và đặt cọc 30%. Giao hàng trong bán kính 3 km miễn phí cho đơn "
        "từ 300k, còn lại phí 20k. Tiệm nghỉ thứ Hai. Hỏi về dị ứng? Nhắn tin cho shop tại đây hoặc gọi 0900 123 456. "
    ),
    "scam_mixed": (
        "Chat restricted after the new rule? We unlock 1:1 chat for any channel in 10 minutes, no ID needed. "
        "Kakao official partner, 300+ happy managers. Send us the verification code you receive and pay 20 USDT first. "
        "채팅 제한 풀어드립니다. 본인인증 대행, 텔레 문의. Mở khoá chat 1:1 miễn phí, liên hệ zalo 0900 000 000. "
    ),
}
LENGTH = 2000


def measure(rounds: int = 7, per_round: int = 50) -> dict:
    from staff.fraud import scan_text
    from staff.fraud_eval import default_rules

    rules = default_rules()
    out = {}
    for name, post in POSTS.items():
        text = (post * (LENGTH // len(post) + 1))[:LENGTH]
        scan_text(text, rules)  # warm the caches
        walls, cpus = [], []
        for _ in range(rounds):
            wall, cpu = time.perf_counter(), time.process_time()
            for _ in range(per_round):
                result = scan_text(text, rules)
            walls.append((time.perf_counter() - wall) / per_round * 1000)
            cpus.append((time.process_time() - cpu) / per_round * 1000)
        out[name] = {"ms_per_text": round(statistics.median(walls), 3), "cpu_ms_per_text": round(statistics.median(cpus), 3),
                     "flagged": result.is_hit}
    return out
